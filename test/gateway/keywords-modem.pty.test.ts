/**
 * Opt-out keywords end to end through a modem: MO messages injected at the virtual modem (on a real pty) reach the
 * gateway through AT+CMGL, the keyword suppresses or lifts the sender's number, and the reply leaves through the
 * same modem (AT+CMGS).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Gateway } from '../../gateway/gateway.ts';
import { KEYWORD_REPLY_TAG } from '../../gateway/keywords/keyword-handler.ts';
import type { VirtualModemHandle } from '../../simulator/index.ts';
import { waitFor } from '../support/wait-for.ts';
import { IMEI, ModemGatewayHarness } from './modem-gateway-harness.ts';

const SIM_NUMBER = '+819099990000';
const ALICE = '+819011112222';
const BOB = '+819033334444';
const CAROL = '+819055556666';

const harness = new ModemGatewayHarness();
afterEach(() => harness.tearDown());

/** Injects an MO message and resolves once the gateway stored it (its keyword handling is done by then). */
async function mo(gw: Gateway, modem: VirtualModemHandle, from: string, text: string): Promise<void> {
  const before = (await gw.messages.inbound('demo', 100)).length;
  modem.injectInbound({ from, text });
  await waitFor(async () => ((await gw.messages.inbound('demo', 100)).length > before ? true : undefined), `the inbound "${text}"`);
}

const sentTo = (modem: VirtualModemHandle, e164: string): string[] => modem.transmitted().filter((m) => m.complete && m.to.replace(/^\+/, '') === e164.slice(1)).map((m) => m.text);

async function keywordReplies(gw: Gateway): Promise<number> {
  const page = await gw.messages.list({ accountId: 'demo', limit: 100 });
  return page.items.filter((item) => item.envelope.tag === KEYWORD_REPLY_TAG).length;
}

describe('keywords through a modem (pty)', () => {
  test('STOP, full-width ｓｔｏｐ, " 配信停止。", a sentence, START and HELP', async () => {
    const { gw, modem } = await harness.setUp({
      pool: { modems: [{ imei: IMEI, msisdn: SIM_NUMBER }] },
      account: { name: 'ACME', numbers: [SIM_NUMBER] },
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    });

    await mo(gw, modem, ALICE, 'STOP');
    await waitFor(() => (sentTo(modem, ALICE).length === 1 ? true : undefined), 'the opt-out reply from the modem');
    expect(sentTo(modem, ALICE)[0]).toBe('ACME: 配信を停止しました。今後メッセージは届きません。再開するには「再開」と返信してください。');
    expect(await gw.suppressions.blocking('demo', ALICE, undefined)).toMatchObject({ reason: 'opt-out', source: { kind: 'keyword', detail: 'STOP', connector: 'modems' } });
    await expect(gw.messages.submit('demo', { to: ALICE, text: 'セール開催中' })).rejects.toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED' });

    await mo(gw, modem, ALICE, 'ｓｔｏｐ');
    expect(await keywordReplies(gw)).toBe(1);

    await mo(gw, modem, BOB, ' 配信停止。');
    await waitFor(() => (sentTo(modem, BOB).length === 1 ? true : undefined), "Bob's opt-out reply");
    expect(await gw.suppressions.blocking('demo', BOB, undefined)).toBeDefined();

    await mo(gw, modem, CAROL, 'please stop sending');
    expect(await gw.suppressions.blocking('demo', CAROL, undefined)).toBeUndefined();
    expect(await keywordReplies(gw)).toBe(2);

    await mo(gw, modem, ALICE, 'START');
    await waitFor(() => (sentTo(modem, ALICE).length === 2 ? true : undefined), 'the opt-in reply');
    expect(sentTo(modem, ALICE)[1]).toContain('配信を再開しました');
    expect(await gw.suppressions.blocking('demo', ALICE, undefined)).toBeUndefined();

    await mo(gw, modem, CAROL, 'HELP');
    await waitFor(() => (sentTo(modem, CAROL).length === 1 ? true : undefined), 'the help reply');
    expect(sentTo(modem, CAROL)[0]).toContain('配信停止は「停止」');
    expect(sentTo(modem, ALICE)).toHaveLength(2);
  }, 60_000);
});
