import { afterEach, describe, expect, test } from 'vitest';
import { parseReceiptText } from '../../../drivers/codec/index.ts';
import type { CheckedPdu } from './pdu-well-formed.ts';
import { SimulatorFixture } from './fixture.ts';
import { waitFor } from '../../support/wait-for.ts';

const f = new SimulatorFixture();
afterEach(async () => {
  expect(await f.end()).toEqual([]);
});

const TLV_RECEIPTED_ID = 0x001e;
const TLV_MESSAGE_STATE = 0x0427;
const TLV_NETWORK_ERROR = 0x0423;

function receipt(pdu: CheckedPdu) {
  const d = pdu.deliver;
  if (d === undefined) throw new Error('not a deliver_sm');
  const id = d.tlvs.get(TLV_RECEIPTED_ID);
  return {
    esmClass: d.esmClass,
    from: d.sourceAddr,
    to: d.destinationAddr,
    tlvId: id === undefined ? undefined : id.subarray(0, id.length - 1).toString('latin1'),
    state: d.tlvs.get(TLV_MESSAGE_STATE)?.[0],
    networkError: d.tlvs.get(TLV_NETWORK_ERROR)?.toString('hex'),
    text: parseReceiptText(d.shortMessage.toString('latin1')),
  };
}

const submitFields = (to: string, text: string, registeredDelivery = 1) => ({
  source_addr_ton: 5,
  source_addr: 'Shop',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: to,
  registered_delivery: registeredDelivery,
  short_message: Buffer.from(text, 'latin1'),
});

describe('receipts', () => {
  test.each([
    ['hex ids (happy)', {}, /^[0-9a-f]+$/, (id: string) => id],
    ['decimal ids, 10 digits', { messageIds: { format: 'decimal', width: 10 } }, /^\d{10}$/, (id: string) => id],
    ['hex ids with leading zeros', { messageIds: { format: 'hex', width: 12 } }, /^0+[0-9a-f]{8}$/, (id: string) => id],
    [
      'hex in submit_sm_resp, decimal in the receipt text',
      { receipts: { textIdFormat: 'decimal', textIdWidth: 12 } },
      /^[0-9a-f]+$/,
      (id: string) => BigInt(`0x${id}`).toString(10).padStart(12, '0'),
    ],
  ] as const)('%s: ids, TLVs and Appendix B text', async (_label, behaviour, idPattern, textId) => {
    await f.start({ behaviour });
    const esme = await f.esme();
    const resp = await esme.submit(submitFields('819012345678', 'Your code is 123456, valid 5 min'));
    const id = String(resp.message_id);
    expect(id).toMatch(idPattern);
    const [delivery] = await esme.waitForDeliveries(1);
    const r = receipt(delivery as CheckedPdu);
    expect(r.esmClass).toBe(0x04);
    expect(r.tlvId).toBe(id);
    expect(r.state).toBe(2);
    expect(r.networkError).toBe('030000');
    expect([r.from, r.to]).toEqual(['819012345678', 'Shop']);
    expect(r.text.id).toBe(textId(id));
    expect(r.text.stat).toBe('DELIVRD');
    expect(r.text.err).toBe('000');
    expect(r.text.dlvrd).toBe(1);
    expect(r.text.text).toBe('Your code is 123456,');
    await waitFor(() => f.handle.counts().receiptsAcknowledged === 1, 'one receipt acknowledged');
  });

  test.each([
    ['819000000001', 'DELIVRD', 2, 0],
    ['818100000001', 'UNDELIV', 5, 1],
    ['818200000001', 'REJECTD', 8, 11],
    ['818300000001', 'EXPIRED', 3, 27],
  ] as const)('outcome by destination prefix: %s gets %s', async (to, stat, state, err) => {
    await f.start({
      behaviour: {
        receipts: {
          outcomes: [
            { stat: 'DELIVRD', weight: 1 },
            { stat: 'UNDELIV', weight: 1, err: 1, prefix: '+8181' },
            { stat: 'REJECTD', weight: 1, err: 11, prefix: '8182' },
            { stat: 'EXPIRED', weight: 1, err: 27, prefix: '8183' },
          ],
        },
      },
    });
    const esme = await f.esme();
    await esme.submit(submitFields(to, 'hello'));
    const r = receipt((await esme.waitForDeliveries(1))[0] as CheckedPdu);
    expect(r.text.stat).toBe(stat);
    expect(r.state).toBe(state);
    expect(r.text.err).toBe(String(err).padStart(3, '0'));
    expect(r.networkError).toBe(`03${err.toString(16).padStart(4, '0')}`);
    expect(r.text.dlvrd).toBe(stat === 'DELIVRD' ? 1 : 0);
  });

  test('the receipt text carries the first 20 characters, non-ASCII ones as one dot each', async () => {
    await f.start();
    const esme = await f.esme();
    const ucs2 = Buffer.from('Hi 🎉 Grüße, 東京 tomorrow at 9', 'utf16le').swap16();
    await esme.submit({ ...submitFields('8190', ''), data_coding: 8, short_message: ucs2 });
    const r = receipt((await esme.waitForDeliveries(1))[0] as CheckedPdu);
    expect(r.text.text).toBe('Hi . Gr..e, .. tomor');
  });

  test('a weighted mix gives every outcome, repeatably for one seed', async () => {
    const behaviour = {
      seed: 7,
      receipts: {
        outcomes: [
          { stat: 'DELIVRD', weight: 2 },
          { stat: 'UNDELIV', weight: 1, err: 1 },
          { stat: 'EXPIRED', weight: 1, err: 27 },
        ],
      },
    };
    const stats: string[][] = [];
    for (let run = 0; run < 2; run++) {
      await f.start({ behaviour });
      const esme = await f.esme();
      await Promise.all(Array.from({ length: 60 }, (_, i) => esme.submit(submitFields(`8190${i}`, `m${i}`))));
      const deliveries = await esme.waitForDeliveries(60);
      stats.push(deliveries.map((d) => receipt(d).text.stat ?? ''));
      expect(await f.end()).toEqual([]);
    }
    expect(new Set(stats[0])).toEqual(new Set(['DELIVRD', 'UNDELIV', 'EXPIRED']));
    expect(stats[1]).toEqual(stats[0]);
  });

  test.each([
    [0, 'DELIVRD', 0],
    [1, 'DELIVRD', 1],
    [2, 'DELIVRD', 0],
    [2, 'UNDELIV', 1],
  ] as const)('registered_delivery %s with %s gives %s receipt(s)', async (registeredDelivery, stat, expected) => {
    await f.start({ behaviour: { receipts: { outcomes: [{ stat, weight: 1, err: stat === 'DELIVRD' ? 0 : 1 }] } } });
    const esme = await f.esme();
    await esme.submit(submitFields('8190', 'x', registeredDelivery));
    // A marker message with a receipt: once its receipt is in, the first one would have been too.
    f.handle.patchBehaviour({ receipts: { outcomes: [{ stat: 'DELIVRD', weight: 1 }] } });
    const marker = await esme.submit(submitFields('8191', 'marker', 1));
    const deliveries = await waitFor(() => {
      const list = esme.deliveries();
      return list.some((d) => receipt(d).tlvId === marker.message_id) ? list : undefined;
    }, 'the marker receipt');
    expect(deliveries.length - 1).toBe(expected);
  });

  test('intermediate notification (esm_class 0x20, ENROUTE) precedes the final receipt when asked for', async () => {
    await f.start({ scenario: 'intermediate' });
    const esme = await f.esme();
    const resp = await esme.submit(submitFields('8190', 'step', 0x11));
    const [first, second] = (await esme.waitForDeliveries(2)).map(receipt);
    expect([first?.esmClass, first?.state, first?.text.stat]).toEqual([0x20, 1, 'ENROUTE']);
    expect([second?.esmClass, second?.state, second?.text.stat]).toEqual([0x04, 2, 'DELIVRD']);
    expect([first?.tlvId, second?.tlvId]).toEqual([resp.message_id, resp.message_id]);
  });

  test('receipts come after the configured delay', async () => {
    await f.start({ behaviour: { receipts: { delayMs: 200 } } });
    const esme = await f.esme();
    const sentAt = Date.now();
    await esme.submit(submitFields('8190', 'later'));
    await esme.waitForDeliveries(1);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(195);
  });

  test('a transmitter bind gets its receipts on a receiver bind of the account, kept until one binds', async () => {
    await f.start();
    const tx = await f.esme('bind_transmitter');
    const resp = await tx.submit(submitFields('8190', 'kept'));
    await waitFor(() => f.handle.counts().deliveriesWaiting === 1, 'one delivery waiting');
    const rx = await f.esme('bind_receiver');
    const r = receipt((await rx.waitForDeliveries(1))[0] as CheckedPdu);
    expect(r.tlvId).toBe(resp.message_id);
    expect(tx.deliveries()).toEqual([]);
    expect(f.handle.counts().deliveriesWaiting).toBe(0);
  });

  test('an unanswered deliver_sm times out, is resent, and is dropped after maxAttempts', async () => {
    await f.start({ behaviour: { deliver: { respTimeoutMs: 100, maxAttempts: 2, retryDelayMs: 0 } } });
    const esme = await f.esme();
    esme.deliverResponse = null;
    await esme.submit(submitFields('8190', 'nobody answers'));
    await waitFor(() => f.handle.counts().deliverSmDropped === 1, 'one deliver_sm dropped');
    const counts = f.handle.counts();
    expect(counts.deliverSmTimeouts).toBe(2);
    expect(counts.deliverSmRetries).toBe(1);
    const deliveries = esme.deliveries();
    expect(deliveries.length).toBe(2);
    expect(new Set(deliveries.map((d) => d.sequence)).size).toBe(2);
  });

  test('after a reset, deliver_sm timeouts and acknowledgements are counted afresh', async () => {
    // The resend waits 300 ms, so the test answers it for sure once the first timeout is counted.
    await f.start({ behaviour: { deliver: { respTimeoutMs: 100, maxAttempts: 2, retryDelayMs: 300 } } });
    const esme = await f.esme();
    await esme.submit(submitFields('8190', 'before'));
    await waitFor(() => f.handle.counts().receiptsAcknowledged === 1, 'one receipt acknowledged');
    f.handle.reset();
    esme.deliverResponse = null;
    await esme.submit(submitFields('8190', 'after'));
    await waitFor(() => f.handle.counts().deliverSmTimeouts === 1, 'one deliver_sm timed out');
    esme.deliverResponse = 0;
    await waitFor(() => f.handle.counts().receiptsAcknowledged === 1, 'one receipt acknowledged');
    expect(f.handle.counts().deliverSmRetries).toBe(1);
  });

  test('a deliver_sm answered with an error is resent until answered with ESME_ROK', async () => {
    await f.start({ behaviour: { deliver: { maxAttempts: 50, retryDelayMs: 50 } } });
    const esme = await f.esme();
    esme.deliverResponse = 0x58;
    await esme.submit(submitFields('8190', 'retry me'));
    await waitFor(() => f.handle.counts().deliverSmErrors >= 2, 'two deliver_sm errors');
    esme.deliverResponse = 0;
    await waitFor(() => f.handle.counts().receiptsAcknowledged === 1, 'one receipt acknowledged');
    expect(f.handle.counts().deliverSmDropped).toBe(0);
  });
});
