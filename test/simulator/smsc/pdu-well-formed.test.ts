import { describe, expect, test } from 'vitest';
import { checkPdu, splitPdus } from './pdu-well-formed.ts';

/** A PDU from header values and body octets; command_length is computed unless given. */
function pdu(commandId: number, status: number, sequence: number, body: number[] = [], length?: number): Buffer {
  const out = Buffer.alloc(16 + body.length);
  out.writeUInt32BE(length ?? out.length, 0);
  out.writeUInt32BE(commandId, 4);
  out.writeUInt32BE(status, 8);
  out.writeUInt32BE(sequence, 12);
  Buffer.from(body).copy(out, 16);
  return out;
}

const cstr = (s: string): number[] => [...Buffer.from(s, 'latin1'), 0];
const tlv = (tag: number, value: number[]): number[] => [tag >> 8, tag & 0xff, value.length >> 8, value.length & 0xff, ...value];

/** deliver_sm body: service_type, addresses, esm_class, then the fixed octets, sm_length, short_message, TLVs. */
function deliverBody(o: { source?: string; esm?: number; sm?: number[]; smLength?: number; tlvs?: number[]; schedule?: string } = {}): number[] {
  const sm = o.sm ?? [0x48, 0x69];
  return [
    ...cstr(''),
    1,
    1,
    ...cstr(o.source ?? '819012345678'),
    5,
    0,
    ...cstr('Shop'),
    o.esm ?? 0,
    0,
    0,
    ...cstr(o.schedule ?? ''),
    ...cstr(''),
    0,
    0,
    0,
    0,
    o.smLength ?? sm.length,
    ...sm,
    ...(o.tlvs ?? []),
  ];
}

describe('PDU well-formedness checker', () => {
  test.each([
    ['enquire_link_resp', pdu(0x80000015, 0, 1)],
    ['submit_sm_resp with id', pdu(0x80000004, 0, 7, cstr('3b9aca00'))],
    ['submit_sm_resp with error and no body', pdu(0x80000004, 0x58, 7)],
    ['bind_transceiver_resp with sc_interface_version', pdu(0x80000009, 0, 1, [...cstr('SMSC'), ...tlv(0x0210, [0x34])])],
    ['deliver_sm plain', pdu(0x00000005, 0, 3, deliverBody())],
    ['deliver_sm receipt', pdu(0x00000005, 0, 3, deliverBody({ esm: 0x04, tlvs: [...tlv(0x001e, cstr('abc')), ...tlv(0x0427, [2]), ...tlv(0x0423, [3, 0, 0])] }))],
    ['deliver_sm with message_payload', pdu(0x00000005, 0, 3, deliverBody({ sm: [], tlvs: tlv(0x0424, [0x41, 0x42]) }))],
    ['query_sm_resp not final', pdu(0x80000003, 0, 4, [...cstr('3b9aca00'), ...cstr(''), 1, 0])],
    ['query_sm_resp delivered', pdu(0x80000003, 0, 4, [...cstr('3b9aca00'), ...cstr('260115103000000+'), 2, 0])],
    ['query_sm_resp ESME_RQUERYFAIL', pdu(0x80000003, 0x67, 4)],
  ])('accepts %s', (_label, octets) => {
    expect(checkPdu(octets).problems).toEqual([]);
  });

  test.each([
    ['a wrong command_length', pdu(0x80000015, 0, 1, [], 20), 'command_length 20'],
    ['sequence_number 0', pdu(0x80000015, 0, 0), 'sequence_number 0'],
    ['an unknown command id', pdu(0x00000077, 0, 1), 'unknown command_id'],
    ['a message_id without NUL', pdu(0x80000004, 0, 7, [0x41, 0x42]), 'no NUL'],
    ['a message_id over 65 octets', pdu(0x80000004, 0, 7, cstr('a'.repeat(65))), 'at most 65'],
    ['an error response with a body', pdu(0x80000004, 0x58, 7, cstr('x')), 'carries a body'],
    ['source_addr over 21 octets', pdu(0x00000005, 0, 3, deliverBody({ source: '1'.repeat(21) })), 'source_addr'],
    ['a schedule_delivery_time in deliver_sm', pdu(0x00000005, 0, 3, deliverBody({ schedule: '260101000000000R' })), 'schedule_delivery_time'],
    ['sm_length beyond the PDU', pdu(0x00000005, 0, 3, deliverBody({ smLength: 9 })), 'sm_length 9 beyond'],
    ['a TLV longer than the PDU', pdu(0x00000005, 0, 3, deliverBody({ tlvs: [0x04, 0x27, 0x00, 0x05, 2] })), 'beyond the PDU'],
    ['message_state of 2 octets', pdu(0x00000005, 0, 3, deliverBody({ tlvs: tlv(0x0427, [0, 2]) })), 'must be 1'],
    ['receipted_message_id without NUL', pdu(0x00000005, 0, 3, deliverBody({ esm: 0x04, tlvs: tlv(0x001e, [0x61]) })), 'C-octet string'],
    ['a receipt without receipted_message_id', pdu(0x00000005, 0, 3, deliverBody({ esm: 0x04 })), 'receipted_message_id'],
    ['message_payload with sm_length', pdu(0x00000005, 0, 3, deliverBody({ tlvs: tlv(0x0424, [0x41]) })), 'non-zero sm_length'],
    ['a final_date of 10 characters', pdu(0x80000003, 0, 4, [...cstr('1'), ...cstr('2601151030'), 2, 0]), 'final_date: length 11'],
    ['message_state 0 in query_sm_resp', pdu(0x80000003, 0, 4, [...cstr('1'), ...cstr(''), 0, 0]), 'message_state 0'],
    ['query_sm_resp without error_code', pdu(0x80000003, 0, 4, [...cstr('1'), ...cstr(''), 2]), 'error_code: missing'],
  ])('flags %s', (_label, octets, problem) => {
    const problems = checkPdu(octets).problems;
    expect(problems.some((p) => p.includes(problem))).toBe(true);
  });

  test('splits a stream at PDU boundaries and keeps an unfinished tail', () => {
    const a = pdu(0x80000015, 0, 1);
    const b = pdu(0x80000004, 0, 2, cstr('ff'));
    const stream = Buffer.concat([a, b, b.subarray(0, 5)]);
    const { pdus, rest } = splitPdus(stream);
    expect(pdus.map((p) => p.toString('hex'))).toEqual([a.toString('hex'), b.toString('hex')]);
    expect(rest.length).toBe(5);
  });
});
