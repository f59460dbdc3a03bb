/**
 * The one body decoder (submit_sm, deliver_sm, data_sm), the SMSC's judge of its problems, and the body encoder.
 * The smpp package's PDU class is the independent writer of what we read and reader of what we write.
 */
import { describe, expect, test } from 'vitest';
import {
  COMMAND_ID,
  MAX_PDU_LENGTH,
  Pdu,
  TLV_TAG,
  decodeMessageBody,
  encodeMessagePdu,
  makePdu,
  problemStatus,
  type MessageBody,
  type MessagePduFields,
} from '../../../drivers/smpp-protocol/index.ts';

function readMessagePdu(frame: Buffer): MessageBody {
  const { body, problems } = decodeMessageBody(frame);
  expect(problems).toEqual([]);
  return body as MessageBody;
}

// PDUs built by the smpp package's encoder, an independent writer of the same layout.
const receipt = new Pdu('deliver_sm', {
  sequence_number: 7,
  source_addr_ton: 1,
  source_addr_npi: 1,
  source_addr: '447700900123',
  dest_addr_ton: 5,
  destination_addr: 'Shop',
  esm_class: 0x04,
  data_coding: 0x00,
  short_message: Buffer.from('id:1A2B stat:DELIVRD'),
  receipted_message_id: '1A2B',
  message_state: 2,
  network_error_code: Buffer.from([3, 0, 11]),
}).toBuffer();

const sarPart = new Pdu('deliver_sm', {
  source_addr: '447700900123',
  destination_addr: '12345',
  data_coding: 0x08,
  short_message: Buffer.from([0x30, 0x53]),
  sar_msg_ref_num: 0x1234,
  sar_total_segments: 3,
  sar_segment_seqnum: 2,
}).toBuffer();

const dataSm = new Pdu('data_sm', {
  source_addr: '447700900123',
  destination_addr: '12345',
  esm_class: 0x40,
  registered_delivery: 1,
  data_coding: 0x04,
  message_payload: Buffer.from([5, 0, 3, 1, 2, 1, 0xde, 0xad]),
}).toBuffer();

describe('decodeMessageBody', () => {
  test.each([
    [
      'a receipt with TLVs',
      receipt,
      {
        sourceTon: 1,
        sourceNpi: 1,
        sourceAddr: '447700900123',
        destTon: 5,
        destinationAddr: 'Shop',
        esmClass: 0x04,
        dataCoding: 0,
        receiptedMessageId: '1A2B',
        messageState: 2,
        networkErrorCode: new Uint8Array([3, 0, 11]),
        shortMessage: new Uint8Array(Buffer.from('id:1A2B stat:DELIVRD')),
      },
    ],
    ['a SAR part', sarPart, { dataCoding: 8, sar: { msgRefNum: 0x1234, totalSegments: 3, segmentSeqnum: 2 }, shortMessage: new Uint8Array([0x30, 0x53]) }],
    [
      'a data_sm with message_payload',
      dataSm,
      { esmClass: 0x40, registeredDelivery: 1, dataCoding: 4, messagePayload: new Uint8Array([5, 0, 3, 1, 2, 1, 0xde, 0xad]), shortMessage: new Uint8Array(0) },
    ],
  ])('reads %s', (_name, frame, expected) => {
    const fields = readMessagePdu(frame);
    const plain = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v instanceof Uint8Array ? new Uint8Array(v) : v]));
    expect(plain).toMatchObject(expected);
  });

  // TLVs at the end: receipted_message_id (4 + 5), message_state (4 + 1), network_error_code (4 + 3).
  const tlvEnds = [receipt.length - 21, receipt.length - 12, receipt.length - 7];
  const cuts = Array.from({ length: receipt.length - 17 }, (_v, i) => i + 17).filter((n) => !tlvEnds.includes(n));

  test.each(cuts)('a receipt cut to %i octets is reported unreadable, not misread', (length) => {
    const cut = Buffer.from(receipt.subarray(0, length));
    cut.writeUInt32BE(length, 0);
    const decoded = decodeMessageBody(cut);
    expect(decoded.body).toBeUndefined();
    expect(decoded.problems[0]?.kind).toMatch(/^(missing|unterminated|tlv-truncated)$/);
  });

  test.each(tlvEnds.map((length, tlvs) => [length, tlvs]))('cut after whole TLVs (%i octets) it reads %i of them', (length, tlvs) => {
    const cut = Buffer.from(receipt.subarray(0, length));
    cut.writeUInt32BE(length, 0);
    const fields = readMessagePdu(cut);
    expect([fields.receiptedMessageId, fields.messageState, fields.networkErrorCode].filter((v) => v !== undefined)).toHaveLength(tlvs);
  });
});

describe('what an SMSC answers a bad submit_sm with (problemStatus)', () => {
  const body = (fields: Record<string, unknown>): Buffer => makePdu('submit_sm', { data_coding: 0, short_message: Buffer.from('hi'), ...fields }).toBuffer();

  test('a well-formed body has no problem: ESME_ROK', () => {
    expect(problemStatus(decodeMessageBody(body({ destination_addr: '8190' })).problems)).toBe(0);
  });

  test.each([
    ['service_type too long', { service_type: 'SEVENCH' }, 0x15],
    ['source_addr too long', { source_addr: '1'.repeat(21) }, 0x0a],
    ['destination_addr too long', { destination_addr: '2'.repeat(30) }, 0x0b],
    ['schedule_delivery_time too long', { schedule_delivery_time: '1'.repeat(17) }, 0x61],
    ['validity_period too long', { validity_period: '1'.repeat(17) }, 0x62],
    ['only two SAR TLVs', { sar_msg_ref_num: 1, sar_total_segments: 2 }, 0xc3],
    ['SAR seqnum beyond total', { sar_msg_ref_num: 1, sar_total_segments: 2, sar_segment_seqnum: 3 }, 0xc4],
    ['short_message and message_payload', { message_payload: Buffer.from('x') }, 0x01],
  ])('%s gives status 0x%s', (_label, fields, status) => {
    expect(problemStatus(decodeMessageBody(body(fields)).problems)).toBe(status);
  });

  test.each([
    ['a SAR TLV of the wrong length', Buffer.from([0x02, 0x0e, 0x00, 0x02, 0x00, 0x02]), 0xc2],
    ['a TLV running past the PDU', Buffer.from([0x04, 0x24, 0x00, 0x09, 0x41]), 0xc2],
    ['a cut TLV header', Buffer.from([0x04, 0x24, 0x00]), 0xc0],
  ])('%s gives status 0x%s', (_label, tail, status) => {
    const whole = Buffer.concat([body({ destination_addr: '8190' }), tail]);
    whole.writeUInt32BE(whole.length, 0);
    expect(problemStatus(decodeMessageBody(whole).problems)).toBe(status);
  });

  test('a truncated body is refused, never read past its end', () => {
    const whole = body({ destination_addr: '8190' });
    expect(problemStatus(decodeMessageBody(whole.subarray(0, 30)).problems)).not.toBe(0);
    const shortened = Buffer.from(whole);
    shortened[shortened.length - 3] = 200; // sm_length far beyond the octets present
    expect(decodeMessageBody(shortened)).toMatchObject({ body: undefined });
    expect(problemStatus(decodeMessageBody(shortened).problems)).toBe(0x01);
  });

  test('data_sm takes addresses up to 65 octets, submit_sm up to 21', () => {
    const long = { source_addr: '1'.repeat(40), destination_addr: '2'.repeat(40) };
    expect(decodeMessageBody(makePdu('data_sm', { ...long, message_payload: Buffer.from('x') }).toBuffer()).problems).toEqual([]);
    expect(problemStatus(decodeMessageBody(body(long)).problems)).toBe(0x0a);
  });
});

describe('encodeMessagePdu', () => {
  const fields: MessagePduFields = {
    serviceType: 'CMT',
    sourceTon: 1,
    sourceNpi: 1,
    sourceAddr: '447700900123',
    destTon: 5,
    destNpi: 0,
    destinationAddr: 'Shop',
    esmClass: 0x04,
    protocolId: 0,
    priorityFlag: 1,
    validityPeriod: '000001000000000R',
    registeredDelivery: 1,
    dataCoding: 0x08,
    shortMessage: Uint8Array.of(0x30, 0x42),
    tlvs: [
      { tag: TLV_TAG.sar_msg_ref_num, value: Uint8Array.of(0x12, 0x34) },
      { tag: TLV_TAG.sar_total_segments, value: Uint8Array.of(2) },
      { tag: TLV_TAG.sar_segment_seqnum, value: Uint8Array.of(1) },
    ],
  };

  test.each(['submit_sm', 'deliver_sm'] as const)('%s: the package writes the same octets, and decode(encode(x)) is x', (command) => {
    const octets = encodeMessagePdu(COMMAND_ID[command], 9, fields);
    const written = new Pdu(command, {
      sequence_number: 9,
      service_type: 'CMT',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '447700900123',
      dest_addr_ton: 5,
      dest_addr_npi: 0,
      destination_addr: 'Shop',
      esm_class: 0x04,
      priority_flag: 1,
      validity_period: '000001000000000R',
      registered_delivery: 1,
      data_coding: 0x08,
      short_message: Buffer.from([0x30, 0x42]),
      sar_msg_ref_num: 0x1234,
      sar_total_segments: 2,
      sar_segment_seqnum: 1,
    }).toBuffer();
    expect(octets.toString('hex')).toBe(written.toString('hex'));
    const body = readMessagePdu(octets);
    expect({ ...body, shortMessage: [...body.shortMessage] }).toMatchObject({
      serviceType: 'CMT',
      sourceAddr: '447700900123',
      destTon: 5,
      destinationAddr: 'Shop',
      priorityFlag: 1,
      validityPeriod: '000001000000000R',
      dataCoding: 8,
      shortMessage: [0x30, 0x42],
      sar: { msgRefNum: 0x1234, totalSegments: 2, segmentSeqnum: 1 },
    });
  });

  test('a message_payload of 64 KiB - 1 stays below the one maximum PDU length', () => {
    const octets = encodeMessagePdu(COMMAND_ID.submit_sm, 1, { ...fields, shortMessage: new Uint8Array(0), tlvs: [{ tag: TLV_TAG.message_payload, value: new Uint8Array(65_535) }] });
    expect(octets.length).toBeLessThan(MAX_PDU_LENGTH);
    expect(readMessagePdu(octets).messagePayload).toHaveLength(65_535);
  });
});
