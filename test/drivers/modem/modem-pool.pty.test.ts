import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { encodeText } from '../../../drivers/codec/index.ts';
import type { SendRequest } from '../../../drivers/transport/index.ts';
import { waitFor } from '../../support/wait-for.ts';
import { linkDetail, PtyHarness } from './pty-harness.ts';

const DOCOMO_IMEI = '356938035643809';
const SOFTBANK_IMEI = '490154203237518';

function request(text: string, carrier?: string): SendRequest {
  return { messageId: text, to: '+819012345678', from: 'x', encoded: encodeText(text), receipt: true, ...(carrier === undefined ? {} : { carrier }) };
}

describe('a pool of two modems on different carriers', () => {
  const h = new PtyHarness();
  beforeEach(() => h.setUp());
  afterEach(() => h.tearDown());

  async function twoCarriers(config: Record<string, unknown> = {}) {
    const docomo = await h.modem('ttyA', { imei: DOCOMO_IMEI, carrier: 'docomo' });
    const softbank = await h.modem('ttyB', { imei: SOFTBANK_IMEI, carrier: 'softbank' });
    const pool = await h.pool({ modems: [{ imei: DOCOMO_IMEI, carriers: ['docomo'] }, { imei: SOFTBANK_IMEI }], ...config });
    await waitFor(() => pool.health().links.every((l) => l.up), 'both up');
    return { docomo, softbank, pool };
  }

  test('carrier affinity: each message goes on-net; receipts correlate; an unknown carrier is spread', async () => {
    const { docomo, softbank, pool } = await twoCarriers({ strategy: 'carrier-affinity' });
    const plan: [string, string | undefined, string][] = [
      ['to a SoftBank subscriber', 'SoftBank', SOFTBANK_IMEI],
      ['to a docomo subscriber', 'docomo', DOCOMO_IMEI],
      ['again SoftBank', 'softbank', SOFTBANK_IMEI],
      ['again docomo, by the network name', 'NTT DOCOMO', DOCOMO_IMEI],
      ['again SoftBank, a long one: ' + 'x'.repeat(200), 'SoftBank', SOFTBANK_IMEI],
    ];
    const ids: string[] = [];
    for (const [text, carrier, via] of plan) {
      const result = await pool.send(request(text, carrier));
      for (const part of result.parts) {
        expect(part).toMatchObject({ status: 'submitted', via });
        if (part.status === 'submitted') ids.push(part.carrierMessageId);
      }
    }
    expect((await softbank.waitForTransmitted(3)).map((t) => t.text)).toEqual([plan[0]?.[0], plan[2]?.[0], plan[4]?.[0]]);
    expect((await docomo.waitForTransmitted(2)).map((t) => t.text)).toEqual([plan[1]?.[0], plan[3]?.[0]]);
    expect(pool.health().counters['onNet']).toBe(5);
    await waitFor(() => h.receipts.length >= 6, 'receipts for all six parts');
    expect(h.receipts.map((r) => r.carrierMessageId).sort()).toEqual([...ids].sort());
    const spread = [await pool.send(request('rakuten 1', 'Rakuten')), await pool.send(request('rakuten 2', 'Rakuten'))];
    expect(new Set(spread.map((r) => (r.parts[0]?.status === 'submitted' ? r.parts[0].via : '')))).toEqual(new Set([DOCOMO_IMEI, SOFTBANK_IMEI]));
  });

  test('per-modem rate limit: round-robin until every modem is at its limit, then refused as throttled, not sent', async () => {
    const { docomo, softbank, pool } = await twoCarriers({ strategy: 'round-robin', ratePerMinute: 2 });
    const throttled: number[] = [];
    pool.on('throttled', (rate) => throttled.push(rate));
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await pool.send(request(`message ${i}`)));
    expect(results.map((r) => (r.parts[0]?.status === 'submitted' ? r.parts[0].via : r.parts[0]?.status === 'failed' ? r.parts[0].error.code : '?'))).toEqual([
      DOCOMO_IMEI,
      SOFTBANK_IMEI,
      DOCOMO_IMEI,
      SOFTBANK_IMEI,
      'MODEM_RATE_LIMITED',
    ]);
    expect(results[4]?.parts[0]).toMatchObject({ status: 'failed', error: { retriable: true } });
    expect(throttled).toEqual([4 / 60]);
    expect((await docomo.waitForTransmitted(2)).length + (await softbank.waitForTransmitted(2)).length).toBe(4);
    expect(docomo.transmitted().map((t) => t.text)).not.toContain('message 4');
    expect(softbank.transmitted().map((t) => t.text)).not.toContain('message 4');
  });

  test('per-SIM daily cap, and all parts of one message through one modem in order', async () => {
    const { docomo, softbank, pool } = await twoCarriers({ strategy: 'round-robin', dailyCap: 3 });
    const long = 'A long message that needs three parts, all of which must go through the same modem. '.repeat(5);
    const first = await pool.send(request(long));
    expect(first.parts.map((p) => (p.status === 'submitted' ? p.via : p.status))).toEqual([DOCOMO_IMEI, DOCOMO_IMEI, DOCOMO_IMEI]);
    expect(docomo.transmittedParts().map((p) => p.concat?.seq)).toEqual([1, 2, 3]);
    const second = await pool.send(request('one'));
    expect(second.parts).toMatchObject([{ status: 'submitted', via: SOFTBANK_IMEI }]);
    expect(linkDetail(pool, 0)).toMatchObject({ sentToday: 3, dailyCap: 3 });
    // Docomo's SIM is at its cap: everything goes through SoftBank until it is full too.
    await pool.send(request('two'));
    await pool.send(request('three'));
    const refused = await pool.send(request('four'));
    expect(refused.parts).toMatchObject([{ status: 'failed', error: { code: 'MODEM_DAILY_CAP_REACHED', retriable: true } }]);
    expect(softbank.transmitted().map((t) => t.text)).toEqual(['one', 'two', 'three']);
  });

  test('a modem that goes away leaves the other carrying the traffic, off-net if need be', async () => {
    // The hang-up of a vanished pty can go unnoticed by the serial port when the machine is busy; the status poll
    // is what catches it then, as on real hardware.
    const { softbank, pool } = await twoCarriers({ strategy: 'carrier-affinity', pollMs: 250 });
    await softbank.unplug();
    await waitFor(() => pool.health().links[1]?.up === false, 'SoftBank modem down', 20_000);
    const result = await pool.send(request('for SoftBank, via docomo', 'SoftBank'));
    expect(result.parts).toMatchObject([{ status: 'submitted', via: DOCOMO_IMEI }]);
    expect(pool.health()).toMatchObject({ up: true, counters: { modemsUp: 1, modems: 2 } });
  });
});
