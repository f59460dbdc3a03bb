import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { encodeText } from '../../../drivers/codec/index.ts';
import type { PartOutcome, SendRequest } from '../../../drivers/transport/index.ts';
import { waitFor } from '../../support/wait-for.ts';
import { linkDetail, PtyHarness } from './pty-harness.ts';

const IMEI_A = '356938035643809';
const IMEI_B = '490154203237518';
const TO = '+819012345678';

function request(text: string): SendRequest {
  return { messageId: 'm', to: TO, from: 'x', encoded: encodeText(text), receipt: false };
}

describe('recovery of a modem over a pty', () => {
  const h = new PtyHarness();
  beforeEach(() => h.setUp());
  afterEach(() => h.tearDown());

  test('unplug: down, sends refused as not sent; replug: re-found, re-initialised, up; inbound held by the network arrives', async () => {
    const sim = await h.modem('ttyA', { imei: IMEI_A });
    const pool = await h.pool({ modems: [{ imei: IMEI_A }] });
    const events: string[] = [];
    pool.on('up', (id) => events.push(`up ${id}`));
    pool.on('down', (id) => events.push(`down ${id}`));
    await waitFor(() => pool.health().up, 'up');
    await sim.unplug();
    await waitFor(() => !pool.health().up, 'down');
    const whileDown = await pool.send(request('sent while unplugged'));
    expect(whileDown.parts).toMatchObject([{ status: 'failed', error: { code: 'MODEM_NO_MODEM_AVAILABLE', retriable: true } }]);
    sim.injectInbound({ from: '+819000002222', text: 'sent to you while you were away' });
    await sim.replug();
    await waitFor(() => pool.health().up, 'up again');
    expect(events).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`, `up ${IMEI_A}`]);
    const after = await pool.send(request('after replug'));
    expect(after.parts).toMatchObject([{ status: 'submitted', via: IMEI_A }]);
    expect((await sim.waitForTransmitted(1)).map((t) => t.text)).toEqual(['after replug']);
    await waitFor(() => h.messages[0], 'inbound');
    expect(h.messages.map((m) => m.text)).toEqual(['sent to you while you were away']);
  });

  test('re-found by IMEI when it comes back at another path, never confused with a neighbour', async () => {
    const a = await h.modem('ttyA', { imei: IMEI_A, carrier: 'docomo' });
    const b = await h.modem('ttyB', { imei: IMEI_B, carrier: 'kddi' });
    const pool = await h.pool({ modems: [{ imei: IMEI_A }, { imei: IMEI_B }] });
    await waitFor(() => pool.health().links.every((l) => l.up), 'both up');
    expect(pool.health().links.map((l) => [l.id, l.detail['path']])).toEqual([
      [IMEI_A, a.path],
      [IMEI_B, b.path],
    ]);
    await a.close();
    await waitFor(() => pool.health().links[0]?.up === false, 'A down');
    // The same modem re-enumerates under a new name, as a USB modem does after a replug.
    const moved = await h.modem('ttyC', { imei: IMEI_A, carrier: 'docomo' });
    await waitFor(() => pool.health().links[0]?.up === true, 'A up again');
    expect(pool.health().links.map((l) => [l.id, l.detail['path'], l.detail['operator']])).toEqual([
      [IMEI_A, moved.path, 'NTT DOCOMO'],
      [IMEI_B, b.path, 'KDDI'],
    ]);
  });

  test('unplugged in the middle of a long message: no part is lost or silently dropped', async () => {
    const sim = await h.modem('ttyA', { imei: IMEI_A, behaviour: { responseDelayMs: 150 } });
    const pool = await h.pool({ modems: [{ imei: IMEI_A }] });
    await waitFor(() => pool.health().up, 'up');
    const text = 'Part of a long message that will be cut off by an unplug halfway through. '.repeat(10);
    const sending = pool.send(request(text));
    await waitFor(() => sim.transmittedParts().length >= 2, 'two parts out', 15_000);
    await sim.unplug();
    const result = await sending;
    const statuses = result.parts.map((p) => p.status);
    expect(statuses.length).toBe(encodeText(text).parts.length);
    const submitted = result.parts.filter((p): p is Extract<PartOutcome, { status: 'submitted' }> => p.status === 'submitted');
    const sentMrs = sim.transmittedParts().map((p) => p.mr);
    // Every part reported submitted really went out, under the TP-MR its id carries.
    expect(submitted.map((p) => Number(p.carrierMessageId.split(':')[1]))).toEqual(sentMrs.slice(0, submitted.length));
    // The part on the wire at the unplug is unknown or not sent; the rest are not sent and say so (retriable).
    const rest = result.parts.slice(submitted.length);
    expect(rest.length).toBeGreaterThan(0);
    for (const part of rest) {
      if (part.status === 'submitted') throw new Error('a submitted part after a failed one');
      expect(['MODEM_OUTCOME_UNKNOWN', 'MODEM_NOT_SENT']).toContain(part.error.code);
    }
    expect(rest.slice(1).every((p) => p.status === 'failed' && p.error.code === 'MODEM_NOT_SENT' && p.error.retriable)).toBe(true);
    expect(sentMrs.length).toBeLessThanOrEqual(submitted.length + (rest[0]?.status === 'unknown' ? 1 : 0));
  });

  test('hung (no answer at all): the send is not sent and retriable, down is emitted first; its soft reset brings it back up', async () => {
    const sim = await h.modem('ttyA', { imei: IMEI_A });
    const pool = await h.pool({ modems: [{ imei: IMEI_A }], timeouts: { default: 1500 }, promptTimeoutMs: 1500, softResetAfter: 2 });
    const events: string[] = [];
    pool.on('up', (id) => events.push(`up ${id}`));
    pool.on('down', (id) => events.push(`down ${id}`));
    await waitFor(() => pool.health().up, 'up');
    // Just after it comes up the modem lists its stored messages. A first send queues behind that listing, so the
    // hang meets an idle modem and the send's own wait for the prompt is what finds it (not the listing's timeout).
    expect((await pool.send(request('before the hang'))).parts).toMatchObject([{ status: 'submitted', via: IMEI_A }]);
    sim.setBehaviour({ hung: true });
    let eventsAtResult: string[] = [];
    const result = await pool.send(request('to a hung modem')).then((r) => {
      eventsAtResult = [...events];
      return r;
    });
    expect(result.parts).toMatchObject([{ status: 'failed', error: { code: 'MODEM_NOT_SENT', retriable: true, details: { reason: 'MODEM_NO_PROMPT' } } }]);
    expect(eventsAtResult).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`]);
    await waitFor(() => pool.health().up, 'up again', 30_000);
    expect(events).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`, `up ${IMEI_A}`]);
    expect(Number(linkDetail(pool)['softResets'])).toBeGreaterThanOrEqual(1);
    expect(sim.transmitted().map((t) => t.text)).toEqual(['before the hang']);
    expect((await pool.send(request('after the soft reset'))).parts).toMatchObject([{ status: 'submitted', via: IMEI_A }]);
    expect((await sim.waitForTransmitted(2)).map((t) => t.text)).toEqual(['before the hang', 'after the soft reset']);
  }, 60_000);

  test('hung in the middle of a send and wedged: unknown, down, refused retriable while probed; answers again: up, and it sends', async () => {
    const sim = await h.modem('ttyA', { imei: IMEI_A });
    const pool = await h.pool({ modems: [{ imei: IMEI_A }], timeouts: { default: 1500 }, softResetAfter: 1 });
    const events: string[] = [];
    pool.on('up', (id) => events.push(`up ${id}`));
    pool.on('down', (id) => events.push(`down ${id}`));
    await waitFor(() => pool.health().up, 'up');
    sim.setBehaviour({ hangOnSubmit: 1, hangSurvivesReset: true });
    let eventsAtResult: string[] = [];
    const result = await pool.send(request('into the hang')).then((r) => {
      eventsAtResult = [...events];
      return r;
    });
    // Written and never answered: it may have gone (here it did), so it is unknown, not failed.
    expect(result.parts).toMatchObject([{ status: 'unknown', error: { code: 'MODEM_OUTCOME_UNKNOWN', retriable: false } }]);
    expect(sim.transmitted().map((t) => t.text)).toEqual(['into the hang']);
    expect(eventsAtResult).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`]);
    expect(pool.health().up).toBe(false);
    const refused = await pool.send(request('while hung'));
    expect(refused.parts).toMatchObject([{ status: 'failed', error: { code: 'MODEM_NO_MODEM_AVAILABLE', retriable: true } }]);
    await waitFor(() => Number(linkDetail(pool)['softResets']) >= 2, 'probed and soft reset again', 30_000);
    expect(pool.health().up).toBe(false);
    sim.setBehaviour({ hung: false, hangSurvivesReset: false });
    await waitFor(() => pool.health().up, 'up again', 30_000);
    expect(events).toEqual([`up ${IMEI_A}`, `down ${IMEI_A}`, `up ${IMEI_A}`]);
    expect((await pool.send(request('recovered'))).parts).toMatchObject([{ status: 'submitted', via: IMEI_A }]);
    expect((await sim.waitForTransmitted(2)).map((t) => t.text)).toEqual(['into the hang', 'recovered']);
  }, 60_000);

  test('a hung modem (answers too late) goes down, gets the soft reset, and comes back once it answers', async () => {
    const sim = await h.modem('ttyA', { imei: IMEI_A });
    // Timeouts well above a loaded machine's round trip, and a modem far slower than them.
    const pool = await h.pool({ modems: [{ imei: IMEI_A }], timeouts: { default: 1500 }, softResetAfter: 2 });
    await waitFor(() => pool.health().up, 'up');
    sim.setBehaviour({ responseDelayMs: 2500 });
    const result = await pool.send(request('into the void'));
    expect(result.parts[0]?.status).not.toBe('submitted');
    await waitFor(() => Number(linkDetail(pool)['softResets']) >= 1, 'soft reset', 20_000);
    expect(pool.health().up).toBe(false);
    sim.setBehaviour({ responseDelayMs: 0 });
    await waitFor(() => pool.health().up, 'up again', 45_000);
    const again = await pool.send(request('back in business'));
    expect(again.parts).toMatchObject([{ status: 'submitted' }]);
  }, 120_000);
});
