/**
 * The verify API through the real gateway, the HTTP app and the SMSC simulator, on the memory backend and on Redis:
 * the code is read from the message the simulator received, never from the gateway. Time is the gateway's own
 * clock moved by hand (an offset on the real one), so expiry and resend limits are crossed without waiting.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { createSmppConnector } from '../../../drivers/smpp/index.ts';
import { Gateway, hashApiKey, loadRoutingFile, type GatewayEvent } from '../../../gateway/index.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { RouterHandle } from '../../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../../simulator/index.ts';
import { captureLog, type LogCapture } from '../../support/log-capture.ts';
import { testBackends } from '../../support/test-backends.ts';
import { waitFor } from '../../support/wait-for.ts';

const KEY = 'verify-e2e-key-0123456789abcdefghijk';
const auth = { authorization: `Bearer ${KEY}` };
const ALICE = '+819011112222';

const backendsUnderTest = testBackends();
afterAll(() => backendsUnderTest.removeRedisKeys());

interface Verification {
  id: string;
  to: string;
  status: string;
  attemptsLeft: number;
  sendsLeft: number;
  expiresAt: string;
  messages: string[];
  reason?: string;
}

describe.each(backendsUnderTest.rows)('verify API over SMPP on the %s backend', (_name, makeBackend) => {
  let simulator: SmscSimulatorHandle | undefined;
  let gateway: Gateway | undefined;
  let backend: MessageBackend | undefined;
  let app: FastifyInstance | undefined;
  let offset = 0;
  let log: LogCapture;
  const events: GatewayEvent[] = [];

  afterEach(async () => {
    await app?.close();
    await gateway?.stop();
    await backend?.close();
    await simulator?.close();
    offset = 0;
    events.length = 0;
  });

  async function setUp(): Promise<{ api: FastifyInstance; sim: SmscSimulatorHandle; gw: Gateway; backend: MessageBackend }> {
    const sim = (simulator = await startSmscSimulator({ scenario: 'happy', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] }));
    const store = (backend = makeBackend());
    log = captureLog();
    const gw = (gateway = new Gateway({
      backend: store,
      router: new RouterHandle(loadRoutingFile(undefined)),
      drivers: [createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: sim.smppPort, systemId: 'gw', password: 'pw', binds: 1, reconnect: { initialMs: 50, maxMs: 500 } })],
      accounts: [{ id: 'demo', name: 'ACME', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', sendWindow: { rules: [{ days: ['mon'], from: '10:00', to: '10:01' }], exemptTags: [] } }],
      verifySecret: Buffer.from('a-deployment-secret-of-32-characters!'),
      log: log.log,
      now: () => Date.now() + offset,
    }));
    gw.events.subscribe((event) => events.push(event), (type) => type === 'verification.status');
    await gw.start();
    await waitFor(() => (gw.links.isUp('smpp-aggregator') ? true : undefined), 'bind up');
    const api = (app = await buildApp({ gateway: gw, logger: log.options }));
    return { api, sim, gw, backend: store };
  }

  /** The codes the simulator received for a number, oldest first: read off the handset, as a person would. */
  const codesAt = (sim: SmscSimulatorHandle, e164: string): string[] =>
    sim.messages({}).filter((m) => m.to === e164.slice(1)).map((m) => /認証コード: ([0-9]+)/.exec(m.text)?.[1] ?? '');

  async function start(api: FastifyInstance, body: Record<string, unknown> = { to: '090-1111-2222' }): Promise<{ status: number; body: Verification & { code?: string; details?: Record<string, unknown> } }> {
    const response = await api.inject({ method: 'POST', url: '/v1/verifications', headers: auth, payload: body });
    return { status: response.statusCode, body: response.json() };
  }

  async function check(api: FastifyInstance, id: string, code: string): Promise<{ status: number; body: Verification & { code?: string; details?: { status?: string } } }> {
    const response = await api.inject({ method: 'POST', url: `/v1/verifications/${id}/check`, headers: auth, payload: { code } });
    return { status: response.statusCode, body: response.json() };
  }

  async function sentCode(sim: SmscSimulatorHandle, n: number): Promise<string> {
    const codes = await waitFor(() => (codesAt(sim, ALICE).length >= n ? codesAt(sim, ALICE) : undefined), `code ${n} at the SMSC`);
    return codes[n - 1] as string;
  }

  const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  test('approved on the first try; the text says 5 minutes; the message went at night on the high lane despite the window', async () => {
    const { api, sim, gw } = await setUp();
    const started = await start(api);
    expect(started.status).toBe(201);
    const message = await gw.messages.get('demo', started.body.messages[0] as string);
    // The high lane, any hour (the account's window is closed but for one minute a week), valid exactly as long as the code.
    expect(message.envelope).toMatchObject({ lane: 'high', tag: 'otp', anyHour: true });
    expect((message.envelope.expiresAt ?? 0) - message.envelope.createdAt).toBe(300_000);
    expect(started.body).toMatchObject({ to: ALICE, status: 'pending', attemptsLeft: 3, sendsLeft: 4 });
    const code = await sentCode(sim, 1);
    expect(code).toMatch(/^[0-9]{6}$/);
    expect(sim.messages({}).find((m) => m.to === ALICE.slice(1))?.text).toContain('5分間有効');
    const approved = await check(api, started.body.id, code);
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', attemptsLeft: 2 } });
    const again = await check(api, started.body.id, code);
    expect(again).toMatchObject({ status: 409, body: { code: 'VERIFY_ALREADY_APPROVED', details: { status: 'approved' } } });
    await waitFor(() => (events.some((e) => e.type === 'verification.status' && e.status === 'approved') ? true : undefined), 'the approved event');
    expect(events.map((e) => (e.type === 'verification.status' ? e.status : ''))).toEqual(['sent', 'approved']);
  });

  test('approved on the second and on the third try', async () => {
    const { api, sim } = await setUp();
    const first = await start(api);
    const code = await sentCode(sim, 1);
    expect(await check(api, first.body.id, wrong(code))).toMatchObject({ status: 200, body: { status: 'pending', attemptsLeft: 2 } });
    expect(await check(api, first.body.id, code)).toMatchObject({ status: 200, body: { status: 'approved', attemptsLeft: 1 } });

    const second = await start(api, { to: '+819011112222' });
    expect(second.body.id).not.toBe(first.body.id);
    const code2 = await sentCode(sim, 2);
    expect(await check(api, second.body.id, wrong(code2))).toMatchObject({ body: { status: 'pending', attemptsLeft: 2 } });
    expect(await check(api, second.body.id, wrong(wrong(code2)))).toMatchObject({ body: { status: 'pending', attemptsLeft: 1 } });
    expect(await check(api, second.body.id, code2)).toMatchObject({ status: 200, body: { status: 'approved', attemptsLeft: 0 } });
  });

  test('three wrong tries end it; a fourth is refused even with the right code', async () => {
    const { api, sim } = await setUp();
    const started = await start(api);
    const code = await sentCode(sim, 1);
    await check(api, started.body.id, wrong(code));
    await check(api, started.body.id, wrong(code));
    expect(await check(api, started.body.id, wrong(code))).toMatchObject({ status: 200, body: { status: 'max_attempts_reached', attemptsLeft: 0, reason: 'VERIFY_MAX_ATTEMPTS' } });
    expect(await check(api, started.body.id, code)).toMatchObject({ status: 409, body: { code: 'VERIFY_MAX_ATTEMPTS', details: { status: 'max_attempts_reached' } } });
    const byNumber = await api.inject({ method: 'POST', url: '/v1/verification-checks', headers: auth, payload: { to: '09011112222', code } });
    expect(byNumber.statusCode).toBe(404);
  });

  test('the code expires with its TTL: a check after it is refused, and the sweep sends the expired event once', async () => {
    const { api, sim, gw } = await setUp();
    const started = await start(api, { to: ALICE, ttlSeconds: 120 });
    const code = await sentCode(sim, 1);
    offset += 119_000;
    const other = await start(api, { to: '+819099990000' });
    offset += 1_000;
    expect(await check(api, started.body.id, code)).toMatchObject({ status: 410, body: { code: 'VERIFY_EXPIRED', details: { status: 'expired' } } });
    offset += 300_000;
    expect(await gw.housekeeping.expireVerifications()).toBe(1);
    expect(await gw.housekeeping.expireVerifications()).toBe(0);
    const read = await api.inject({ method: 'GET', url: `/v1/verifications/${other.body.id}`, headers: auth });
    expect(read.json()).toMatchObject({ status: 'expired', attemptsLeft: 3, sendsLeft: 0 });
    const expired = events.filter((e) => e.type === 'verification.status' && e.status === 'expired');
    expect(expired.map((e) => (e.type === 'verification.status' ? e.verificationId : ''))).toEqual([started.body.id, other.body.id]);
  });

  test('resends: not within 30 s, then a new code (the old one stops working), at most 5 codes in 10 minutes', async () => {
    const { api, sim } = await setUp();
    const started = await start(api);
    const first = await sentCode(sim, 1);
    const tooSoon = await start(api);
    expect(tooSoon).toMatchObject({ status: 429, body: { code: 'VERIFY_RESEND_TOO_SOON' } });
    offset += 30_000;
    const resent = await start(api);
    expect(resent).toMatchObject({ status: 201, body: { id: started.body.id, sendsLeft: 3 } });
    const second = await sentCode(sim, 2);
    if (second !== first) expect(await check(api, started.body.id, first)).toMatchObject({ body: { status: 'pending', attemptsLeft: 2 } });
    for (let n = 3; n <= 5; n += 1) {
      offset += 30_000;
      expect((await start(api)).status).toBe(201);
    }
    offset += 30_000;
    // The number's sixth code within ten minutes (the too-soon try was refused before it counted).
    expect(await start(api)).toMatchObject({ status: 429, body: { code: 'VERIFY_RATE_LIMITED', details: { scope: 'number' } } });
    const latest = await sentCode(sim, 5);
    expect(await check(api, started.body.id, latest)).toMatchObject({ body: { status: 'approved' } });
  });

  test('the code is in no log line, read API, stored record or event; the stored text is masked', async () => {
    const { api, sim, backend: store } = await setUp();
    const started = await start(api, { to: ALICE, clientRef: 'login-42' });
    const code = await sentCode(sim, 1);
    await check(api, started.body.id, wrong(code));
    await check(api, started.body.id, code);
    const messageId = started.body.messages[0] as string;
    await waitFor(async () => ((await store.store.get(messageId))?.status === 'delivered' ? true : undefined), 'the code message delivered');
    const reads = [
      (await api.inject({ method: 'GET', url: `/v1/messages/${messageId}`, headers: auth })).body,
      (await api.inject({ method: 'GET', url: '/v1/messages?limit=10', headers: auth })).body,
      (await api.inject({ method: 'GET', url: `/v1/verifications/${started.body.id}`, headers: auth })).body,
    ];
    const record = await store.store.get(messageId);
    expect(record?.envelope.encoded.parts.map((p) => p.text).join('')).toContain('認証コード: ****** (5分間有効)');
    expect(record?.envelope.encoded.sealed).toBeDefined();
    const verification = await store.verifications.get(started.body.id);
    const everything = [...reads, JSON.stringify(record), JSON.stringify(verification), JSON.stringify(events), log.lines().map((l) => JSON.stringify(l)).join('\n')].join('\n');
    // The code as a number of its own (a timestamp or id that happens to hold the digits inside it is no leak).
    expect(everything).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
    // Nor as the UCS-2 octets of a stored part.
    expect(everything).not.toContain(Buffer.from(code, 'utf16le').swap16().toString('hex'));
  });
});
