import { describe, expect, test } from 'vitest';
import { encodeText } from '../../../drivers/codec/index.ts';
import { parseSmppConfig } from '../../../drivers/smpp/config.ts';
import { Pdu, decodeMessageBody, type MessageBody, type SmppPdu } from '../../../drivers/smpp-protocol/index.ts';
import { prepareSubmits } from '../../../drivers/smpp/submit-pdus.ts';
import type { SendRequest } from '../../../drivers/transport/index.ts';

const base = { id: 'c', host: 'h', port: 1, systemId: 's', password: 'p' };

function request(text: string, extra: Partial<SendRequest> = {}): SendRequest {
  return { messageId: 'm', to: '+819012345678', from: 'Shop', encoded: encodeText(text, { concatRef: 9 }), receipt: true, ...extra };
}

/** SMPP 3.4 section 4.4.1 maximum sizes of submit_sm C-octet strings, NUL included. */
const C_OCTET_MAX: [string, number][] = [
  ['service_type', 6],
  ['source_addr', 21],
  ['destination_addr', 21],
  ['schedule_delivery_time', 17],
  ['validity_period', 17],
];

/** Checks the framing of a submit_sm independently of our reader: lengths, NULs, TLV lengths. */
function checkWellFormed(pdu: Buffer): void {
  expect(pdu.readUInt32BE(0)).toBe(pdu.length);
  expect(pdu.readUInt32BE(4)).toBe(0x00000004);
  let offset = 16;
  const cString = (name: string, max: number): void => {
    const nul = pdu.indexOf(0, offset);
    expect(nul, `${name} terminated`).toBeGreaterThanOrEqual(offset);
    expect(nul - offset + 1, `${name} length`).toBeLessThanOrEqual(max);
    offset = nul + 1;
  };
  const max = new Map(C_OCTET_MAX);
  cString('service_type', max.get('service_type') ?? 0);
  offset += 2;
  cString('source_addr', max.get('source_addr') ?? 0);
  offset += 2;
  cString('destination_addr', max.get('destination_addr') ?? 0);
  offset += 3;
  cString('schedule_delivery_time', max.get('schedule_delivery_time') ?? 0);
  cString('validity_period', max.get('validity_period') ?? 0);
  offset += 4;
  const smLength = pdu[offset] ?? -1;
  expect(smLength).toBeLessThanOrEqual(254);
  offset += 1 + smLength;
  while (offset < pdu.length) {
    expect(offset + 4).toBeLessThanOrEqual(pdu.length);
    offset += 4 + pdu.readUInt16BE(offset + 2);
  }
  expect(offset).toBe(pdu.length);
}

function readMessagePdu(pdu: Buffer): MessageBody {
  const { body, problems } = decodeMessageBody(pdu);
  expect(problems).toEqual([]);
  return body as MessageBody;
}

/** The same fields through the smpp package's encoder (which wrote every submit_sm before): the octets must agree. */
function packageEncoding(body: MessageBody): Buffer {
  return new Pdu('submit_sm', {
    service_type: body.serviceType,
    source_addr_ton: body.sourceTon,
    source_addr_npi: body.sourceNpi,
    source_addr: body.sourceAddr,
    dest_addr_ton: body.destTon,
    dest_addr_npi: body.destNpi,
    destination_addr: body.destinationAddr,
    esm_class: body.esmClass,
    protocol_id: body.protocolId,
    priority_flag: body.priorityFlag,
    schedule_delivery_time: body.scheduleDeliveryTime,
    validity_period: body.validityPeriod,
    registered_delivery: body.registeredDelivery,
    replace_if_present_flag: 0,
    data_coding: body.dataCoding,
    sm_default_msg_id: 0,
    short_message: Buffer.from(body.shortMessage),
    ...(body.sar === undefined
      ? {}
      : { sar_msg_ref_num: body.sar.msgRefNum, sar_total_segments: body.sar.totalSegments, sar_segment_seqnum: body.sar.segmentSeqnum }),
    ...(body.messagePayload === undefined ? {} : { message_payload: Buffer.from(body.messagePayload) }),
  }).toBuffer();
}

const TEXTS = [
  ['short GSM', 'Hello'],
  ['long GSM with extension', '{[Price]} 5€ ~ ^ | \\ '.repeat(12)],
  ['Japanese', '東京都の天気は晴れです。'.repeat(8)],
  ['emoji', '🎉😀 '.repeat(40)],
] as const;

describe('prepareSubmits', () => {
  describe.each(['udh', 'sar', 'payload'] as const)('carriage %s', (carriage) => {
    test.each(TEXTS)('%s: well-formed submit_sm PDUs with the codec fields', (_name, text) => {
      const config = parseSmppConfig({ ...base, carriage });
      const req = request(text, { validitySeconds: 3600, priority: 5 });
      const prepared = prepareSubmits(req, config);
      expect(prepared.map((p) => p.partNo)).toEqual(prepared.map((_p, i) => i + 1));
      for (const { pdu } of prepared) {
        checkWellFormed(pdu);
        const decoded = Pdu.fromBuffer(pdu) as SmppPdu;
        expect(decoded).toMatchObject({
          command: 'submit_sm',
          source_addr_ton: 5,
          source_addr: 'Shop',
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: '819012345678',
          registered_delivery: 1,
          priority_flag: 1,
          validity_period: expect.anything() as unknown,
        });
        const fields = readMessagePdu(pdu);
        expect(fields.dataCoding).toBe(req.encoded.encoding === 'gsm7' ? 0x00 : 0x08);
        if (carriage === 'udh' && req.encoded.parts.length > 1) expect(fields.esmClass & 0x40).toBe(0x40);
        if (carriage === 'sar' && req.encoded.parts.length > 1) expect(fields.sar?.totalSegments).toBe(req.encoded.parts.length);
        if (carriage === 'payload') expect(fields.shortMessage).toHaveLength(0);
        expect(pdu.toString('hex')).toBe(packageEncoding(fields).toString('hex'));
      }
      expect(prepared).toHaveLength(carriage === 'payload' ? 1 : req.encoded.parts.length);
    });
  });

  test('flash asks the codec for message class 0', () => {
    const config = parseSmppConfig(base);
    const [gsm] = prepareSubmits(request('Flash!', { flash: true }), config);
    const [ucs2] = prepareSubmits(request('閃光', { flash: true }), config);
    expect(readMessagePdu(gsm?.pdu ?? Buffer.alloc(0)).dataCoding).toBe(0xf0);
    expect(readMessagePdu(ucs2?.pdu ?? Buffer.alloc(0)).dataCoding).toBe(0x18);
  });

  test('no receipt asked: registered_delivery 0; the configured value otherwise', () => {
    const config = parseSmppConfig({ ...base, registeredDelivery: 0x11 });
    expect(readMessagePdu(prepareSubmits(request('a', { receipt: false }), config)[0]?.pdu ?? Buffer.alloc(0)).registeredDelivery).toBe(0);
    expect(readMessagePdu(prepareSubmits(request('a'), config)[0]?.pdu ?? Buffer.alloc(0)).registeredDelivery).toBe(0x11);
  });

  test('gsmDataCoding 0x01 labels 7-bit text as IA5', () => {
    const config = parseSmppConfig({ ...base, gsmDataCoding: 1 });
    const fields = readMessagePdu(prepareSubmits(request('Hello $ world'), config)[0]?.pdu ?? Buffer.alloc(0));
    expect(fields.dataCoding).toBe(0x01);
    expect(Buffer.from(fields.shortMessage).toString('latin1')).toBe('Hello $ world');
  });

  test.each([
    [[0], 'onlyParts'],
    [[4], 'onlyParts'],
  ])('onlyParts %j outside the message is refused naming %s', (onlyParts, field) => {
    const config = parseSmppConfig(base);
    expect(() => prepareSubmits(request('x'.repeat(300), { onlyParts }), config)).toThrowError(
      expect.objectContaining({ code: 'SMPP_INVALID_REQUEST', details: expect.objectContaining({ field }) as object }) as Error,
    );
  });
});
