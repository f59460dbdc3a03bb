import { afterEach, describe, expect, test } from 'vitest';
import { fromSmppFields, Reassembler } from '../../../drivers/codec/index.ts';
import type { CheckedPdu } from './pdu-well-formed.ts';
import { SimulatorFixture } from './fixture.ts';

const f = new SimulatorFixture();
afterEach(async () => {
  expect(await f.end()).toEqual([]);
});

const SAR_REF = 0x020c;
const SAR_TOTAL = 0x020e;
const SAR_SEQ = 0x020f;
const PAYLOAD = 0x0424;

/** What an ESME makes of the deliver_sm it got: decoded with the codec and reassembled. */
function reassemble(deliveries: readonly CheckedPdu[]): { texts: string[]; seqs: number[] } {
  const reassembler = new Reassembler();
  const texts: string[] = [];
  const seqs: number[] = [];
  for (const pdu of deliveries) {
    const d = pdu.deliver;
    if (d === undefined) continue;
    const sar = d.tlvs.get(SAR_REF);
    const inbound = fromSmppFields({
      esmClass: d.esmClass,
      dataCoding: d.dataCoding,
      shortMessage: d.shortMessage,
      ...(d.tlvs.has(PAYLOAD) ? { messagePayload: d.tlvs.get(PAYLOAD) } : {}),
      ...(sar === undefined
        ? {}
        : { sar: { msgRefNum: sar.readUInt16BE(0), totalSegments: d.tlvs.get(SAR_TOTAL)?.[0] ?? 0, segmentSeqnum: d.tlvs.get(SAR_SEQ)?.[0] ?? 0 } }),
    });
    seqs.push(inbound.concat?.seq ?? 1);
    const result = reassembler.add(
      { originator: d.sourceAddr, destination: d.destinationAddr, encoding: inbound.encoding, text: inbound.text, ...(inbound.concat === undefined ? {} : { concat: inbound.concat }) },
      0,
    );
    if (result.message !== undefined) texts.push(result.message.text);
  }
  return { texts, seqs };
}

const JAPANESE = '配信停止をご希望の場合は「STOP」と返信してください。ご利用ありがとうございました。'.repeat(2);

describe('MO injection', () => {
  test('a single opt-out keyword reaches the bound transceiver as one deliver_sm', async () => {
    await f.start();
    const esme = await f.esme();
    const result = await f.api('POST', '/mo', { from: '+819012345678', to: '12345', text: 'STOP' });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ carrier: 'smsc', parts: [{ seq: 1, status: 0, statusName: 'ESME_ROK' }], acknowledged: true });
    const [pdu] = await esme.waitForDeliveries(1);
    const d = pdu?.deliver;
    expect([d?.sourceAddr, d?.destinationAddr, d?.esmClass, d?.dataCoding]).toEqual(['819012345678', '12345', 0, 0]);
    expect(reassemble([pdu as CheckedPdu]).texts).toEqual(['STOP']);
    expect(f.handle.counts().moPartsAcknowledged).toBe(1);
  });

  test.each([
    ['udh', 'in-order'],
    ['udh', 'reverse'],
    ['sar', 'in-order'],
    ['sar', 'reverse'],
    ['payload', 'in-order'],
  ] as const)('a long Japanese text in %s form (%s) is reassembled exactly by the ESME', async (carriage, order) => {
    await f.start();
    const esme = await f.esme('bind_receiver');
    const result = await f.handle.injectMo({ from: '+819011112222', to: '+81312345678', text: JAPANESE, carriage, order });
    expect(result.acknowledged).toBe(true);
    const expectedParts = carriage === 'payload' ? 1 : result.parts.length;
    const deliveries = await esme.waitForDeliveries(expectedParts);
    expect(deliveries.length).toBe(expectedParts);
    const { texts, seqs } = reassemble(deliveries);
    expect(texts).toEqual([JAPANESE]);
    if (carriage !== 'payload') {
      expect(seqs.length).toBeGreaterThan(1);
      expect(seqs).toEqual(order === 'reverse' ? [...seqs].sort((a, b) => b - a) : [...seqs].sort((a, b) => a - b));
    }
    for (const d of deliveries) {
      const fields = d.deliver;
      expect(fields?.dataCoding).toBe(8);
      expect(fields?.esmClass).toBe(carriage === 'udh' ? 0x40 : 0);
      if (carriage === 'sar') expect(fields?.tlvs.has(SAR_REF)).toBe(true);
      if (carriage === 'payload') expect(fields?.shortMessage.length).toBe(0);
    }
  });

  test('MO goes to a bind of the requested account', async () => {
    await f.start({
      accounts: [
        { systemId: 'alpha', password: 'a', maxBinds: 2 },
        { systemId: 'beta', password: 'b', maxBinds: 2 },
      ],
    });
    const alpha = await f.esme('bind_receiver', 'alpha', 'a');
    const beta = await f.esme('bind_receiver', 'beta', 'b');
    await f.handle.injectMo({ from: '+819000000000', to: '555', text: 'for beta', systemId: 'beta' });
    expect(reassemble(await beta.waitForDeliveries(1)).texts).toEqual(['for beta']);
    expect(alpha.deliveries()).toEqual([]);
  });

  test('without a receiving bind the request is refused with SIM_NO_RECEIVER (409)', async () => {
    await f.start();
    await f.esme('bind_transmitter');
    const result = await f.api('POST', '/mo', { from: '+819012345678', to: '12345', text: 'STOP' });
    expect(result.status).toBe(409);
    expect((result.body.error as { code: string }).code).toBe('SIM_NO_RECEIVER');
  });

  test('an ESME that never answers gets the parts reported as timed out', async () => {
    await f.start({ behaviour: { deliver: { respTimeoutMs: 100, maxAttempts: 1 } } });
    const esme = await f.esme();
    esme.deliverResponse = null;
    const result = await f.handle.injectMo({ from: '+819012345678', to: '12345', text: 'hello?' });
    expect(result).toEqual({ carrier: 'smsc', parts: [{ seq: 1, failed: 'timeout' }], acknowledged: false });
  });
});
