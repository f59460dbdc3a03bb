import { describe, expect, test } from 'vitest';
import { readMessagePdu } from '../../../drivers/smpp/message-pdu.ts';
import { Pdu } from '../../../drivers/smpp/smpp-lib.ts';

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

describe('readMessagePdu', () => {
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

  test.each(cuts)('a receipt cut to %i octets is refused, not misread', (length) => {
    const cut = Buffer.from(receipt.subarray(0, length));
    cut.writeUInt32BE(length, 0);
    expect(() => readMessagePdu(cut)).toThrowError(expect.objectContaining({ code: 'SMPP_PROTOCOL' }) as Error);
  });

  test.each(tlvEnds.map((length, tlvs) => [length, tlvs]))('cut after whole TLVs (%i octets) it reads %i of them', (length, tlvs) => {
    const cut = Buffer.from(receipt.subarray(0, length));
    cut.writeUInt32BE(length, 0);
    const fields = readMessagePdu(cut);
    expect([fields.receiptedMessageId, fields.messageState, fields.networkErrorCode].filter((v) => v !== undefined)).toHaveLength(tlvs);
  });
});
