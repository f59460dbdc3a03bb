import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { encodeText, normalizeMessageId } from '../../../drivers/codec/index.ts';
import type { SendRequest } from '../../../drivers/transport/index.ts';
import { waitFor } from '../../support/wait-for.ts';
import { linkDetail, PtyHarness } from './pty-harness.ts';

const TO = '+819012345678';

function request(text: string, extra: Partial<SendRequest> = {}): SendRequest {
  return { messageId: `m-${text.length}`, to: TO, from: 'x', encoded: encodeText(text), receipt: false, ...extra };
}

const JAPANESE = 'お世話になっております。明日の会議は午後三時から第二会議室で行います。資料は事前に共有いたしますので、ご確認のほどよろしくお願いいたします。ご不明な点がございましたら、お気軽にお問い合わせください。';
const LONG_GSM = 'The quick brown fox jumps over the lazy dog; {braces} and [brackets] cost two septets each. '.repeat(4);

describe('sending through a modem over a pty', () => {
  const h = new PtyHarness();
  beforeEach(() => h.setUp());
  afterEach(() => h.tearDown());

  test.each([
    ['single GSM part', 'Your code is 123456', 'gsm7', 1],
    ['concatenated Japanese UCS-2', JAPANESE, 'ucs2', 2],
    ['concatenated GSM with extension characters', LONG_GSM, 'gsm7', 3],
  ])('%s arrives with the exact text, every part submitted in order', async (_name, text, encoding, parts) => {
    const sim = await h.modem('ttyA');
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    await waitFor(() => pool.health().up, 'up');
    const encoded = encodeText(text);
    expect(encoded.parts.length).toBe(parts);
    const result = await pool.send(request(text));
    expect(result.parts.map((p) => [p.seq, p.status])).toEqual(encoded.parts.map((p) => [p.seq, 'submitted']));
    const [sent] = await sim.waitForTransmitted(1);
    expect(sent).toMatchObject({ to: TO, text, encoding, complete: true, total: parts, duplicates: 0 });
    const mrs = sim.transmittedParts().map((p) => p.mr);
    const ids = result.parts.map((p) => (p.status === 'submitted' ? p.carrierMessageId : ''));
    expect(ids.map((id) => Number(id.split(':')[1]))).toEqual(mrs);
    expect(new Set(ids).size).toBe(parts);
    // Ids are already in the normalized form receipts are matched in.
    expect(ids.map((id) => normalizeMessageId(id))).toEqual(ids);
  });

  test.each([
    [42, 'MODEM_CMS_TEMPORARY', true, 'congestion'],
    [38, 'MODEM_CMS_TEMPORARY', true, 'network out of order'],
    [21, 'MODEM_CMS_ERROR', false, 'short message transfer rejected'],
    [500, 'MODEM_CMS_TEMPORARY', true, 'unknown error'],
  ])('+CMS ERROR: %i is %s (retriable %s)', async (cms, code, retriable, name) => {
    const sim = await h.modem('ttyA', { behaviour: { sendFailure: { every: 2, codes: [cms] } } });
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    await waitFor(() => pool.health().up, 'up');
    const result = await pool.send(request(LONG_GSM.slice(0, 300)));
    // Every second AT+CMGS fails: part 2 is refused, parts 1 and 3 still go.
    expect(result.parts.map((p) => p.status)).toEqual(['submitted', 'failed', 'submitted']);
    expect(result.parts[1]).toMatchObject({ status: 'failed', raw: { cmsError: cms }, error: { code, retriable, details: { cms, name } } });
    expect(pool.health().up).toBe(true);
    expect(linkDetail(pool)).toMatchObject({ sent: 2, failed: 1 });
  });

  test('status reports are matched to their parts by TP-MR and give receipts', async () => {
    const sim = await h.modem('ttyA', { behaviour: { statusReport: { delayMs: 50, outcome: 'delivered' } } });
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    await waitFor(() => pool.health().up, 'up');
    const first = await pool.send(request(JAPANESE, { receipt: true }));
    const second = await pool.send(request('short one', { receipt: true }));
    const ids = [...first.parts, ...second.parts].map((p) => (p.status === 'submitted' ? p.carrierMessageId : 'none'));
    await waitFor(() => h.receipts.length >= 3, 'three receipts');
    expect(h.receipts.map((r) => r.carrierMessageId).sort()).toEqual([...ids].sort());
    expect(h.receipts.every((r) => r.state === 'delivered' && r.final && r.raw.tpStatus === 0 && r.connectorId === 'test-modems')).toBe(true);
    expect(linkDetail(pool)).toMatchObject({ receipts: 3, receiptsUnmatched: 0, pendingReceipts: 0 });
  });

  test('a failed delivery gives an undeliverable receipt with the TP-ST kept', async () => {
    const sim = await h.modem('ttyA', { scenario: 'delivery-failed' });
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    await waitFor(() => pool.health().up, 'up');
    const result = await pool.send(request('will fail', { receipt: true }));
    await waitFor(() => h.receipts[0], 'receipt');
    const receipt = h.receipts[0];
    expect(receipt?.carrierMessageId).toBe(result.parts[0]?.status === 'submitted' ? result.parts[0].carrierMessageId : 'x');
    expect(receipt?.final).toBe(true);
    expect(receipt?.state).not.toBe('delivered');
    expect(receipt?.raw.tpStatus).toBeGreaterThanOrEqual(0x40);
  });

  test('unsolicited codes in the middle of AT+CMGS exchanges disturb neither sending nor receiving', async () => {
    const sim = await h.modem('ttyA', { scenario: 'urc-interleaved', behaviour: { statusReport: { delayMs: 0, outcome: 'delivered' } } });
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    await waitFor(() => pool.health().up, 'up');
    const sends = [];
    for (let i = 0; i < 6; i++) {
      sends.push(pool.send(request(`message number ${i} ${LONG_GSM.slice(0, 150)}`, { receipt: true })));
      sim.injectInbound({ from: '+819011112222', text: `inbound ${i} ${JAPANESE}` });
    }
    const results = await Promise.all(sends);
    expect(results.flatMap((r) => r.parts.map((p) => (p.status === 'submitted' ? p.status : JSON.stringify(p))))).toEqual(Array(12).fill('submitted'));
    const transmitted = await sim.waitForTransmitted(6);
    expect(transmitted.map((t) => t.text).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `message number ${i} ${LONG_GSM.slice(0, 150)}`).sort());
    await waitFor(() => h.messages.length >= 6, 'six inbound');
    expect(h.messages.map((m) => m.text).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `inbound ${i} ${JAPANESE}`).sort());
    await waitFor(() => h.receipts.length >= 12, 'twelve receipts');
    expect(linkDetail(pool)).toMatchObject({ receiptsUnmatched: 0, earlyReports: 0 });
  });

  test('garbage bytes on the line are dropped and counted; messages still go out intact', async () => {
    const sim = await h.modem('ttyA', { behaviour: { garbage: { meanIntervalMs: 20, maxBytes: 16 } } });
    const pool = await h.pool({ modems: [{ path: sim.path }] });
    await waitFor(() => pool.health().up, 'up');
    for (let i = 0; i < 5; i++) {
      const result = await pool.send(request(`noisy ${i} ${JAPANESE}`));
      expect(result.parts.every((p) => p.status === 'submitted')).toBe(true);
    }
    const transmitted = await sim.waitForTransmitted(5);
    expect(transmitted.map((t) => t.text)).toEqual(Array.from({ length: 5 }, (_, i) => `noisy ${i} ${JAPANESE}`));
    // The noise arrives on its own schedule: wait for it rather than expecting it within the sends.
    await waitFor(() => Number(linkDetail(pool)['garbageBytes']) > 0, 'noise counted');
  });
});
