import { describe, expect, test } from 'vitest';
import { decodeDelivery, receiptOf, type DecodedReceipt } from '../../../drivers/smpp/delivery.ts';
import { Pdu } from '../../../drivers/smpp-protocol/index.ts';

const now = new Date('2026-01-01T00:00:00Z');

function receipt(fields: Record<string, unknown>): DecodedReceipt {
  const decoded = decodeDelivery(new Pdu('deliver_sm', { source_addr: '447700900123', esm_class: 0x04, ...fields }).toBuffer());
  if (decoded.kind !== 'receipt') throw new Error('not a receipt');
  return decoded;
}

const text = (id: string, stat: string): Buffer =>
  Buffer.from(`id:${id} sub:001 dlvrd:001 submit date:2601010000 done date:2601010005 stat:${stat} err:000 text:hello`);

describe('receipts', () => {
  test.each([
    ['text only, hex id known as is', { short_message: text('00AB12', 'DELIVRD') }, ['ab12'], 'ab12', 'delivered', true],
    ['text id in decimal, submit gave hex', { short_message: text('43794', 'DELIVRD') }, ['ab12'], 'ab12', 'delivered', true],
    ['text id in hex, submit gave decimal', { short_message: text('AB12', 'UNDELIV') }, ['43794'], '43794', 'undeliverable', true],
    ['unknown id stays normalized', { short_message: text('000777', 'EXPIRED') }, [], '777', 'expired', true],
    ['TLVs win over the text', { short_message: text('1', 'DELIVRD'), receipted_message_id: '2', message_state: 8 }, ['2'], '2', 'rejected', true],
    ['TLVs without text', { receipted_message_id: 'XyZ-1', message_state: 5 }, [], 'XyZ-1', 'undeliverable', true],
    ['intermediate notification', { esm_class: 0x20, receipted_message_id: 'c1', message_state: 1 }, ['c1'], 'c1', 'enroute', false],
  ])('%s', (_name, fields, known, id, state, final) => {
    const r = receiptOf(receipt(fields), 'c', new Map(known.map((k) => [k, true] as const)), now);
    expect(r).toMatchObject({ connectorId: 'c', carrierMessageId: id, state, final, receivedAt: now });
  });

  test('dates and raw values from the text are kept', () => {
    const r = receiptOf(receipt({ short_message: text('ab', 'DELIVRD'), network_error_code: Buffer.from([3, 0, 1]) }), 'c', new Map(), now);
    expect(r).toMatchObject({
      submittedAt: new Date('2026-01-01T00:00:00Z'),
      doneAt: new Date('2026-01-01T00:05:00Z'),
      raw: { stat: 'DELIVRD', err: '000', networkErrorCode: '030001' },
    });
  });

  test('a receipt naming no message gives nothing to correlate', () => {
    expect(receiptOf(receipt({ short_message: Buffer.from('stat:DELIVRD') }), 'c', new Map(), now)).toBeUndefined();
  });
});

describe('MO decoding', () => {
  test('text by data_coding, international originator with +', () => {
    const decoded = decodeDelivery(
      new Pdu('deliver_sm', { source_addr_ton: 1, source_addr: '447700900123', destination_addr: '12345', data_coding: 8, short_message: Buffer.from('00e9006d006f006a0069', 'hex') }).toBuffer(),
    );
    expect(decoded).toEqual({ kind: 'message', part: { originator: '+447700900123', destination: '12345', encoding: 'ucs2', text: 'émoji' } });
  });

  test('octets the codec cannot read are passed on as binary, not dropped', () => {
    const decoded = decodeDelivery(
      new Pdu('deliver_sm', { source_addr: 'Bank', destination_addr: '12345', data_coding: 8, short_message: Buffer.from([0x00, 0x41, 0x42]) }).toBuffer(),
    );
    expect(decoded).toMatchObject({ kind: 'message', part: { encoding: 'binary', text: '', binary: new Uint8Array([0x00, 0x41, 0x42]) } });
  });
});
