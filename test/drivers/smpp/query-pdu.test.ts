/**
 * query_sm / query_sm_resp (SMPP 3.4 section 4.8) as octets, the judge of an answer, and final_date times. The smpp
 * package's PDU class is the independent reader of what we write and writer of what we read.
 */
import { describe, expect, test } from 'vitest';
import { Pdu, decodeQueryAnswer, encodeQuerySm, parseAbsoluteTime, type QueryAnswer } from '../../../drivers/smpp-protocol/index.ts';
import { SMPP_ERRORS, queryStatusError } from '../../../drivers/smpp/errors.ts';
import { judgeQueryAnswer } from '../../../drivers/smpp/query-judge.ts';

const hex = (...parts: string[]): string => parts.join('').replaceAll(' ', '');
const cstr = (s: string): string => `${Buffer.from(s, 'latin1').toString('hex')}00`;

/** A header: command_length, command_id, command_status, sequence_number. */
function header(length: number, commandId: number, status: number, sequence: number): string {
  return [length, commandId, status, sequence].map((n) => n.toString(16).padStart(8, '0')).join('');
}

describe('query_sm', () => {
  const fields = { messageId: '3b9aca00', sourceTon: 5, sourceNpi: 0, sourceAddr: 'TestShop' };
  const octets = hex(
    header(36, 0x00000003, 0, 7),
    cstr('3b9aca00'), // message_id
    '05', // source_addr_ton: alphanumeric
    '00', // source_addr_npi: unknown
    cstr('TestShop'), // source_addr
  );

  test('encodes the section 4.8.1 fields in order', () => {
    expect(encodeQuerySm(fields, 7).toString('hex')).toBe(octets);
  });

  test('reads back with the smpp package to the same fields', () => {
    const pdu = Pdu.fromBuffer(Buffer.from(octets, 'hex'));
    expect(pdu).toMatchObject({ command: 'query_sm', sequence_number: 7, message_id: '3b9aca00', source_addr_ton: 5, source_addr_npi: 0, source_addr: 'TestShop' });
    expect(encodeQuerySm({ ...fields, messageId: String(pdu && pdu.message_id) }, 7).toString('hex')).toBe(octets);
  });

  test('a NULL originator (the account default) is one NUL octet', () => {
    expect(encodeQuerySm({ messageId: '1', sourceTon: 0, sourceNpi: 0, sourceAddr: '' }).toString('hex')).toBe(hex(header(21, 3, 0, 1), cstr('1'), '00', '00', '00'));
  });
});

describe('query_sm_resp', () => {
  const delivered: QueryAnswer = {
    command: 'query_sm_resp',
    status: 0,
    sequence: 7,
    body: { messageId: '3b9aca00', finalDate: '260115103000000+', messageState: 2, errorCode: 0 },
    problems: [],
  };
  const enroute: QueryAnswer = {
    command: 'query_sm_resp',
    status: 0,
    sequence: 8,
    body: { messageId: '00FF', finalDate: '', messageState: 1, errorCode: 0 },
    problems: [],
  };
  test.each([
    [
      'DELIVERED with a final_date',
      hex(header(44, 0x80000003, 0, 7), cstr('3b9aca00'), cstr('260115103000000+'), '02', '00'),
      delivered,
    ],
    ['ENROUTE, final_date NULL', hex(header(24, 0x80000003, 0, 8), cstr('00FF'), '00', '01', '00'), enroute],
    ['ESME_RQUERYFAIL, no body', hex(header(16, 0x80000003, 0x67, 9)), { command: 'query_sm_resp', status: 0x67, sequence: 9, problems: [] }],
    ['generic_nack ESME_RINVCMDID', hex(header(16, 0x80000000, 0x03, 9)), { command: 'generic_nack', status: 0x03, sequence: 9, problems: [] }],
  ] as [string, string, QueryAnswer][])('%s: decode(bytes), the package writes the same bytes, decode(encode(x))', (_label, octets, answer) => {
    expect(decodeQueryAnswer(Buffer.from(octets, 'hex'))).toEqual(answer);
    const written = new Pdu(answer.command, {
      sequence_number: answer.sequence,
      command_status: answer.status,
      ...(answer.body === undefined
        ? {}
        : { message_id: answer.body.messageId, final_date: answer.body.finalDate, message_state: answer.body.messageState, error_code: answer.body.errorCode }),
    }).toBuffer();
    expect(written.toString('hex')).toBe(octets);
    expect(decodeQueryAnswer(written)).toEqual(answer);
  });

  test.each([
    ['message_id without NUL', hex(header(18, 0x80000003, 0, 1), '4142'), 'message_id'],
    ['no final_date', hex(header(18, 0x80000003, 0, 1), cstr('A')), 'final_date'],
    ['message_id over 65 octets', hex(header(16 + 67 + 3, 0x80000003, 0, 1), cstr('A'.repeat(66)), '00', '02', '00'), 'message_id'],
    ['no message_state', hex(header(19, 0x80000003, 0, 1), cstr('A'), '00'), 'message_state'],
    ['no error_code', hex(header(20, 0x80000003, 0, 1), cstr('A'), '00', '02'), 'error_code'],
    ['another command', hex(header(16, 0x80000004, 0, 1)), 'command_id'],
  ])('%s is reported by the decoder and judged SMPP_PROTOCOL naming the field', (_label, octets, field) => {
    const answer = decodeQueryAnswer(Buffer.from(octets, 'hex'));
    expect(answer.body).toBeUndefined();
    expect(answer.problems[0]?.field).toBe(field);
    expect(judgeQueryAnswer(answer, 'ab')).toMatchObject({ status: 'failed', error: { code: 'SMPP_PROTOCOL', details: { field } } });
  });
});

describe('judging an answer', () => {
  const answer = (messageState: number, finalDate = '', errorCode = 0): QueryAnswer => ({
    command: 'query_sm_resp',
    status: 0,
    sequence: 1,
    body: { messageId: 'AB', finalDate, messageState, errorCode },
    problems: [],
  });

  test.each([
    [1, 'enroute', false],
    [2, 'delivered', true],
    [3, 'expired', true],
    [4, 'deleted', true],
    [5, 'undeliverable', true],
    [6, 'accepted', false],
    [7, 'unknown', true],
    [8, 'rejected', true],
    // SMPP 5.0 SCHEDULED (0) and SKIPPED (9), and anything else: not a 3.4 state, so not known to be final.
    [0, 'unknown', false],
    [9, 'unknown', false],
  ])('message_state %i is %s, final %s', (messageState, state, final) => {
    expect(judgeQueryAnswer(answer(messageState), 'ab')).toEqual({ status: 'found', carrierMessageId: 'ab', state, final, raw: { messageState, errorCode: 0 } });
  });

  test('final_date and error_code are kept raw, and final_date read as a time', () => {
    expect(judgeQueryAnswer(answer(5, '260115103000504+', 11), 'ab')).toEqual({
      status: 'found',
      carrierMessageId: 'ab',
      state: 'undeliverable',
      final: true,
      raw: { messageState: 5, errorCode: 11, finalDate: '260115103000504+' },
      doneAt: new Date('2026-01-15T09:30:00.500Z'),
    });
  });

  test.each([
    ['query_sm_resp', 0x67, 'SMPP_QUERY_FAILED', 'ESME_RQUERYFAIL', false],
    ['query_sm_resp', 0x0c, 'SMPP_QUERY_FAILED', 'ESME_RINVMSGID', false],
    ['generic_nack', 0x03, 'SMPP_QUERY_NOT_SUPPORTED', 'ESME_RINVCMDID', false],
    ['generic_nack', 0x00, 'SMPP_QUERY_NOT_SUPPORTED', 'ESME_RINVCMDID', false],
    ['query_sm_resp', 0x03, 'SMPP_QUERY_NOT_SUPPORTED', 'ESME_RINVCMDID', false],
    ['query_sm_resp', 0x101, 'SMPP_QUERY_NOT_SUPPORTED', 'ESME_RPROHIBITED', false],
    ['query_sm_resp', 0x58, 'SMPP_QUERY_TEMPORARY', 'ESME_RTHROTTLED', true],
    ['query_sm_resp', 0x08, 'SMPP_QUERY_TEMPORARY', 'ESME_RSYSERR', true],
    ['generic_nack', 0x04, 'SMPP_QUERY_TEMPORARY', 'ESME_RINVBNDSTS', true],
    ['query_sm_resp', 0x0a, 'SMPP_QUERY_REJECTED', 'ESME_RINVSRCADR', false],
    ['query_sm_resp', 0x0401, 'SMPP_QUERY_REJECTED', '0x00000401', false],
  ] as const)('%s with status %i is %s (%s), retriable %s', (command, status, code, statusName, retriable) => {
    const outcome = judgeQueryAnswer({ command, status, sequence: 1, problems: [] }, 'ab', { bind: 'c#1' });
    expect(outcome).toMatchObject({ status: 'failed', error: { code, retriable, details: { statusName, command, bind: 'c#1' } } });
    expect(SMPP_ERRORS[code].retriable).toBe(retriable);
  });

  test('queryStatusError names the status it judged', () => {
    expect(queryStatusError(0x67, { messageId: 'x' })).toMatchObject({ code: 'SMPP_QUERY_FAILED', details: { commandStatus: 0x67, messageId: 'x' } });
  });
});

describe('SMPP absolute time (final_date)', () => {
  test.each([
    ['260115103000000+', '2026-01-15T10:30:00.000Z'],
    // Tenths, then 4 quarter hours in advance of UTC: an hour earlier in UTC.
    ['260115103000504+', '2026-01-15T09:30:00.500Z'],
    ['260115103000008-', '2026-01-15T12:30:00.000Z'],
    ['991231235959948+', '2099-12-31T11:59:59.900Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseAbsoluteTime(text)?.toISOString()).toBe(iso);
  });

  test.each(['', '000001000000000R', '260231103000000+', '261315103000000+', '260115246000000+', '260115103000049+', '2601151030', '260115103000000'])(
    '%j names no instant',
    (text) => {
      expect(parseAbsoluteTime(text)).toBeUndefined();
    },
  );
});
