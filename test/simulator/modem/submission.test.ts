import { describe, expect, test } from 'vitest';
import { buildSubmitPdus, encodeText } from '../../../drivers/codec/index.ts';
import { pduSubmission, textSubmission } from '../../../simulator/modem/submission.ts';
import { textTimestamp } from '../../../drivers/at-protocol/index.ts';

const GSM = { cscs: 'GSM', csmp: { fo: 17, dcs: 0 } } as const;

describe('AT+CMGS data', () => {
  test('a PDU with an SMSC address decodes to its destination, text, concat and SRR', () => {
    const [first] = buildSubmitPdus(encodeText('x'.repeat(200), { concatRef: 3 }), { to: '09012345678', srr: true, smsc: '+819000000010' });
    const result = pduSubmission(first!.tpduLength, first!.hex.toLowerCase());
    expect(result).toMatchObject({
      ok: true,
      submission: { mode: 'pdu', pdu: first!.hex, to: '09012345678', encoding: 'gsm7', concat: { ref: 3, total: 2, seq: 1 }, statusReportRequested: true },
    });
  });

  test('an SMS-DELIVER in place of a SUBMIT is refused with 304', () => {
    // SMSC 00, first octet 04 (DELIVER), OA, PID, DCS, SCTS, UDL 1, 'a'
    const deliver = '0004' + '0B918190214365F8' + '0000' + '62111241000063' + '0161';
    expect(pduSubmission((deliver.length - 2) / 2, deliver)).toMatchObject({ ok: false, failure: { kind: 'cms', code: 304 } });
  });

  test.each([
    ['GSM text', 'Hello', GSM, { ok: true, submission: { text: 'Hello', encoding: 'gsm7', statusReportRequested: false } }],
    ['UCS2 hex', '65E5672C', { cscs: 'UCS2', csmp: { fo: 49, dcs: 8 } }, { ok: true, submission: { text: '日本', encoding: 'ucs2', statusReportRequested: true } }],
    ['UCS2 that is not hex', 'zz', { cscs: 'UCS2', csmp: { fo: 17, dcs: 8 } }, { ok: false, failure: { code: 305 } }],
    ['161 GSM characters', 'x'.repeat(161), GSM, { ok: false, failure: { code: 305 } }],
    ['71 UCS-2 characters', '3042'.repeat(71), { cscs: 'UCS2', csmp: { fo: 17, dcs: 8 } }, { ok: false, failure: { code: 305 } }],
  ] as const)('text mode: %s', (_name, data, settings, expected) => {
    expect(textSubmission('+819012345678', data, settings)).toMatchObject(expected);
  });

  test.each([
    [new Date(Date.UTC(2026, 11, 31, 20, 5, 9)), 36, '27/01/01,05:05:09+36'],
    [new Date(Date.UTC(2026, 0, 1, 0, 0, 0)), -20, '25/12/31,19:00:00-20'],
  ])('text mode time stamp of %s at %i quarter hours', (date, tz, text) => {
    expect(textTimestamp(date, tz)).toBe(text);
  });
});
