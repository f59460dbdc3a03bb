/**
 * Opt-out keywords end to end over SMPP: MO messages injected at the SMSC simulator reach the gateway as deliver_sm,
 * the keyword suppresses or lifts the sender's number, and the reply goes back to the SMSC as submit_sm through the
 * same bind's connector; on the memory backend and on Redis.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import { hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { Gateway } from '../../gateway/gateway.ts';
import { KEYWORD_REPLY_TAG } from '../../gateway/keywords/keyword-handler.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { testBackends } from '../support/test-backends.ts';
import { waitFor } from '../support/wait-for.ts';

const SHORT_CODE = '12345';
const ALICE = '+819011112222';
const BOB = '+819033334444';
const CAROL = '+819055556666';

const backendsUnderTest = testBackends();
afterAll(() => backendsUnderTest.removeRedisKeys());

describe.each(backendsUnderTest.rows)('keywords over SMPP on the %s backend', (_name, makeBackend) => {
  let simulator: SmscSimulatorHandle | undefined;
  let gateway: Gateway | undefined;
  let backend: MessageBackend | undefined;

  afterEach(async () => {
    await gateway?.stop();
    await backend?.close();
    await simulator?.close();
  });

  async function setUp(): Promise<{ gw: Gateway; sim: SmscSimulatorHandle }> {
    const sim = (simulator = await startSmscSimulator({ scenario: 'happy', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] }));
    backend = makeBackend();
    const driver = createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: sim.smppPort, systemId: 'gw', password: 'pw', binds: 1, reconnect: { initialMs: 50, maxMs: 500 } });
    const gw = (gateway = new Gateway({
      backend,
      router: new RouterHandle(loadRoutingFile(undefined)),
      drivers: [driver],
      accounts: [{ id: 'demo', name: 'ACME', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', numbers: [SHORT_CODE] }],
    }));
    await gw.start();
    await waitFor(() => (gw.links.isUp('smpp-aggregator') ? true : undefined), 'bind up');
    return { gw, sim };
  }

  /** What the SMSC received for one handset (digits as the SMSC records them). */
  const repliesTo = (sim: SmscSimulatorHandle, e164: string): string[] => sim.messages({}).filter((m) => m.to === e164.slice(1)).map((m) => m.text);

  async function mo(sim: SmscSimulatorHandle, from: string, text: string): Promise<void> {
    const result = await sim.injectMo({ from, to: SHORT_CODE, text });
    expect(result.acknowledged).toBe(true);
  }

  async function keywordReplies(gw: Gateway): Promise<number> {
    const page = await gw.messages.list({ accountId: 'demo', limit: 100 });
    return page.items.filter((item) => item.envelope.tag === KEYWORD_REPLY_TAG).length;
  }

  test('STOP, full-width ｓｔｏｐ, " 配信停止。", a sentence, START and HELP', async () => {
    const { gw, sim } = await setUp();

    await mo(sim, ALICE, 'STOP');
    const [optOut] = await waitFor(() => (repliesTo(sim, ALICE).length === 1 ? repliesTo(sim, ALICE) : undefined), 'the opt-out reply at the SMSC');
    expect(optOut).toBe('ACME: 配信を停止しました。今後メッセージは届きません。再開するには「再開」と返信してください。');
    expect(sim.messages({}).find((m) => m.to === ALICE.slice(1))).toMatchObject({ from: SHORT_CODE, systemId: 'gw' });
    expect(await gw.suppressions.blocking('demo', ALICE, undefined)).toMatchObject({ reason: 'opt-out', source: { kind: 'keyword', detail: 'STOP', connector: 'smpp-aggregator' } });
    await expect(gw.messages.submit('demo', { to: ALICE, text: 'セール開催中' })).rejects.toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED' });

    // The same person again, full-width: acknowledged by the gateway (deliver_sm_resp after handling), not answered.
    await mo(sim, ALICE, 'ｓｔｏｐ');
    expect(await keywordReplies(gw)).toBe(1);

    await mo(sim, BOB, ' 配信停止。');
    await waitFor(() => (repliesTo(sim, BOB).length === 1 ? true : undefined), "Bob's opt-out reply");
    expect(await gw.suppressions.blocking('demo', BOB, undefined)).toMatchObject({ source: { detail: ' 配信停止。' } });

    await mo(sim, CAROL, 'please stop sending');
    expect(await gw.suppressions.blocking('demo', CAROL, undefined)).toBeUndefined();
    expect(await keywordReplies(gw)).toBe(2);

    await mo(sim, ALICE, 'START');
    await waitFor(() => (repliesTo(sim, ALICE).length === 2 ? true : undefined), 'the opt-in reply');
    expect(repliesTo(sim, ALICE)[1]).toContain('配信を再開しました');
    expect(await gw.suppressions.blocking('demo', ALICE, undefined)).toBeUndefined();

    await mo(sim, CAROL, 'HELP');
    await waitFor(() => (repliesTo(sim, CAROL).length === 1 ? true : undefined), 'the help reply');
    expect(repliesTo(sim, CAROL)[0]).toContain('配信停止は「停止」');

    // Every inbound still reached the account.
    expect((await gw.messages.inbound('demo', 20)).map((event) => event.text).sort()).toEqual([' 配信停止。', 'HELP', 'START', 'STOP', 'please stop sending', 'ｓｔｏｐ'].sort());
  });
});
