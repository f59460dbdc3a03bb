import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { encodeText } from '../../../drivers/codec/index.ts';
import type { ModemPool } from '../../../drivers/modem/index.ts';
import type { PartOutcome, SendRequest, SendResult } from '../../../drivers/transport/index.ts';
import { EngineBench } from './engine-bench.ts';

const IMEI_A = '356938035643809';
const IMEI_B = '490154203237518';
const LONG = 'Three parts of one message must reach one phone from one SIM, in order. '.repeat(5);

function request(text: string, extra: Partial<SendRequest> = {}): SendRequest {
  return { messageId: text.slice(0, 24), to: '+819012345678', from: 'x', encoded: encodeText(text), receipt: false, ...extra };
}

function brief(parts: readonly PartOutcome[]): string[] {
  return parts.map((p) => (p.status === 'submitted' ? `${p.seq} submitted via ${p.via}` : `${p.seq} ${p.status} ${p.error.code}${p.error.retriable ? ' (retriable)' : ''}`));
}

function detail(pool: ModemPool, index = 0): Readonly<Record<string, string | number | boolean | null>> {
  return pool.health().links[index]?.detail ?? {};
}

describe('a hung modem, on a manual clock (driver against the virtual modem engine)', () => {
  let bench: EngineBench;
  beforeEach(() => {
    bench = new EngineBench();
  });
  afterEach(() => bench.tearDown());

  /** Sends while the clock runs, since the send itself waits on command timeouts. */
  async function send(pool: ModemPool, req: SendRequest): Promise<SendResult & { eventsAtResult: string[] }> {
    let result: (SendResult & { eventsAtResult: string[] }) | undefined;
    void pool.send(req).then((r) => {
      result = { ...r, eventsAtResult: [...bench.events] };
    });
    await bench.clock.until('the send result', () => result !== undefined, 120_000);
    return result as SendResult & { eventsAtResult: string[] };
  }

  test('hangs while idle: the poll finds it and the pool goes down at once; sends are refused retriable; the soft reset brings it back up', async () => {
    const a = bench.device('ttyA', { imei: IMEI_A });
    const pool = await bench.pool({ modems: [{ imei: IMEI_A }], pollMs: 5000 });
    await bench.clock.until('up', () => pool.health().up, 1000);
    a.engine.setBehaviour({ hung: true });
    const tookMs = await bench.clock.until('down', () => bench.events.length === 2, 20_000);
    // At most one poll interval plus one command timeout.
    expect(tookMs).toBeLessThanOrEqual(5000 + 3000 + 50);
    expect(bench.events).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`]);
    expect(pool.health().up).toBe(false);
    const refused = await send(pool, request('while hung'));
    expect(brief(refused.parts)).toEqual(['1 failed MODEM_NO_MODEM_AVAILABLE (retriable)']);
    await bench.clock.until('up again', () => pool.health().up, 60_000);
    expect(bench.events).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`, `up ${IMEI_A}`]);
    expect(detail(pool)['softResets']).toBe(1);
    const sent = await send(pool, request('back again'));
    expect(brief(sent.parts)).toEqual([`1 submitted via ${IMEI_A}`]);
    expect(a.engine.transmitted().map((m) => m.text)).toEqual(['back again']);
  });

  test('hangs at AT+CMGS before the prompt: the part is not sent (retriable), nothing went out, the pool is down when the result comes', async () => {
    const a = bench.device('ttyA', { imei: IMEI_A });
    const pool = await bench.pool({ modems: [{ imei: IMEI_A }] });
    await bench.clock.until('up', () => pool.health().up, 1000);
    a.engine.setBehaviour({ hung: true });
    const result = await send(pool, request(LONG));
    expect(brief(result.parts)).toEqual(['1 failed MODEM_NOT_SENT (retriable)', '2 failed MODEM_NOT_SENT (retriable)', '3 failed MODEM_NOT_SENT (retriable)']);
    expect(result.parts[0]).toMatchObject({ error: { details: { reason: 'MODEM_NO_PROMPT' } } });
    expect(result.eventsAtResult).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`]);
    expect(a.engine.transmitted()).toEqual([]);
  });

  test('hangs in the middle of a long message: sent, unknown, then retriable parts that wait for the same modem, not another', async () => {
    const a = bench.device('ttyA', { imei: IMEI_A }, { hangOnSubmit: 2 });
    const b = bench.device('ttyB', { imei: IMEI_B });
    const pool = await bench.pool({ modems: [{ imei: IMEI_A }, { imei: IMEI_B }], strategy: 'round-robin', softResetAfter: 1 });
    await bench.clock.until('both up', () => pool.health().links.every((l) => l.up), 1000);
    const req = request(LONG, { messageId: 'long-1' });
    const first = await send(pool, req);
    expect(brief(first.parts)).toEqual([`1 submitted via ${IMEI_A}`, '2 unknown MODEM_OUTCOME_UNKNOWN', '3 failed MODEM_NOT_SENT (retriable)']);
    // The unknown part did leave: resending it would duplicate it.
    expect(a.engine.transmittedParts().map((p) => p.concat?.seq)).toEqual([1, 2]);
    // The pool said so before the result came back, so the gateway never reads its queue for a dead modem.
    expect(first.eventsAtResult).toContain(`down ${IMEI_A}`);
    expect(pool.health()).toMatchObject({ up: true, counters: { modemsUp: 1 } });
    // Part 3 resent while A is down is refused retriable, although B is up: from B's SIM it could not be reassembled.
    const early = await send(pool, { ...req, onlyParts: [3] });
    expect(brief(early.parts)).toEqual(['3 failed MODEM_DOWN (retriable)']);
    expect(b.engine.transmitted()).toEqual([]);
    // Other messages still go, through B.
    expect(brief((await send(pool, request('meanwhile'))).parts)).toEqual([`1 submitted via ${IMEI_B}`]);
    await bench.clock.until('A up again', () => pool.health().links[0]?.up === true, 60_000);
    const rest = await send(pool, { ...req, onlyParts: [3] });
    expect(brief(rest.parts)).toEqual([`3 submitted via ${IMEI_A}`]);
    expect(a.engine.transmittedParts().map((p) => p.concat?.seq)).toEqual([1, 2, 3]);
    expect(a.engine.transmitted()).toMatchObject([{ text: LONG, complete: true }]);
    // Once every part is out, the message is no longer tied to A: round-robin again.
    const again = [await send(pool, { ...req, onlyParts: [1] }), await send(pool, { ...req, onlyParts: [1] })];
    expect(again.map((r) => brief(r.parts)[0])).toEqual([`1 submitted via ${IMEI_A}`, `1 submitted via ${IMEI_B}`]);
  });

  test('a wedged modem is probed again and again with capped back-off for hours, and comes back as soon as it answers', async () => {
    const a = bench.device('ttyA', { imei: IMEI_A });
    const pool = await bench.pool({ modems: [{ imei: IMEI_A }], pollMs: 5000, softResetAfter: 2 });
    await bench.clock.until('up', () => pool.health().up, 1000);
    a.engine.setBehaviour({ hung: true, hangSurvivesReset: true });
    await bench.clock.until('down', () => !pool.health().up, 20_000);
    const before = Number(detail(pool)['startAttempts']);
    const hours = 6;
    await bench.clock.advance(hours * 3_600_000);
    const probes = Number(detail(pool)['startAttempts']) - before;
    // Each probe: back-off capped at 8 s, two unanswered AT of 3 s each, and every second one a soft reset (2 s).
    expect(probes).toBeGreaterThan((hours * 3_600_000) / (8000 + 6000 + 2000));
    expect(Number(detail(pool)['softResets'])).toBeGreaterThan(probes / 2 - 5);
    expect(detail(pool)).toMatchObject({ state: 'down', lastError: 'MODEM_TIMEOUT' });
    a.engine.setBehaviour({ hung: false });
    const tookMs = await bench.clock.until('up again', () => pool.health().up, 30_000);
    expect(tookMs).toBeLessThanOrEqual(8000 + 6000 + 1000);
    expect(bench.events).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`, `up ${IMEI_A}`]);
    expect(brief((await send(pool, request('after six hours'))).parts)).toEqual([`1 submitted via ${IMEI_A}`]);
  });

  test('unplugged: down at once, refused retriable; replugged: re-found by IMEI and up', async () => {
    const a = bench.device('ttyA', { imei: IMEI_A });
    const pool = await bench.pool({ modems: [{ imei: IMEI_A }] });
    await bench.clock.until('up', () => pool.health().up, 1000);
    a.unplug();
    await bench.clock.settle();
    expect(bench.events).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`]);
    expect(brief((await send(pool, request('unplugged'))).parts)).toEqual(['1 failed MODEM_NO_MODEM_AVAILABLE (retriable)']);
    await bench.clock.advance(3_600_000);
    expect(pool.health().up).toBe(false);
    a.replug();
    await bench.clock.until('up again', () => pool.health().up, 10_000);
    expect(brief((await send(pool, request('replugged'))).parts)).toEqual([`1 submitted via ${IMEI_A}`]);
  });

  test('rate limit and daily cap are refused retriable, each with its own code and when to try again', async () => {
    bench.device('ttyA', { imei: IMEI_A });
    const pool = await bench.pool({ modems: [{ imei: IMEI_A }], ratePerMinute: 1, dailyCap: 2 });
    await bench.clock.until('up', () => pool.health().up, 1000);
    expect(brief((await send(pool, request('one'))).parts)).toEqual([`1 submitted via ${IMEI_A}`]);
    const limited = await send(pool, request('two'));
    expect(brief(limited.parts)).toEqual(['1 failed MODEM_RATE_LIMITED (retriable)']);
    const wait = limited.parts[0]?.status === 'failed' ? limited.parts[0].error.details['retryInMs'] : undefined;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    await bench.clock.advance(60_000);
    expect(brief((await send(pool, request('two'))).parts)).toEqual([`1 submitted via ${IMEI_A}`]);
    await bench.clock.advance(60_000);
    const at = bench.clock.now;
    const capped = await send(pool, request('three'));
    expect(brief(capped.parts)).toEqual(['1 failed MODEM_DAILY_CAP_REACHED (retriable)']);
    const midnight = Math.ceil(at / 86_400_000) * 86_400_000;
    expect(capped.parts[0]).toMatchObject({ error: { details: { retryInMs: midnight - at } } });
  });

  test('an open that never settles is given up after 10 s, the device stays claimed (no second open beside it) until that open ends, then it comes up', async () => {
    const a = bench.device('ttyA', { imei: IMEI_A });
    a.stallOpens = true;
    const pool = await bench.pool({ modems: [{ imei: IMEI_A }] });
    await bench.clock.until('a second start, after the open was given up', () => Number(detail(pool)['startAttempts']) >= 2, 15_000);
    // Reconnects come and go while the first open hangs: none opens the tty again.
    await bench.clock.advance(30_000);
    expect(a.opens).toBe(1);
    expect(pool.health().up).toBe(false);
    // The wedged open finally completes: its late line is closed and the device is free for the next probe.
    a.releaseOpen();
    await bench.clock.until('up', () => pool.health().up, 30_000);
    expect(a.opens).toBe(2);
    expect(a.lineOpen).toBe(true);
  });
});
