/**
 * What the modem makes of the data after an AT+CMGS prompt (TS 27.005 clauses 3.5.1 and 4.3): in PDU mode the
 * SMSC information and an SMS-SUBMIT whose TPDU length must equal the announced <length>; in text mode the text
 * in the TE character set (AT+CSCS) with the coding AT+CSMP gives. Anything malformed is +CMS ERROR 304 / 305.
 */
import { cms, type AtFailure } from '../../drivers/at-protocol/index.ts';
import { decodeTpdu, fromHex, type ConcatInfo, type Encoding } from '../../drivers/codec/index.ts';

export interface Submission {
  readonly mode: 'pdu' | 'text';
  readonly pdu?: string;
  readonly to: string;
  readonly text: string;
  readonly encoding: Encoding;
  readonly concat?: ConcatInfo;
  readonly statusReportRequested: boolean;
}

export type SubmissionResult = { readonly ok: true; readonly submission: Submission } | { readonly ok: false; readonly failure: AtFailure };

const refuse = (code: number): SubmissionResult => ({ ok: false, failure: cms(code) });

export function pduSubmission(length: number, data: string): SubmissionResult {
  const hex = data.replace(/\s+/g, '');
  if (!/^(?:[0-9A-Fa-f]{2})+$/.test(hex)) return refuse(304);
  const bytes = fromHex(hex);
  if (bytes.length - 1 - (bytes[0] as number) !== length) return refuse(304);
  let decoded;
  try {
    decoded = decodeTpdu(hex, { withSmsc: true, direction: 'mo' });
  } catch {
    return refuse(304);
  }
  if (decoded.type !== 'submit') return refuse(304);
  return {
    ok: true,
    submission: {
      mode: 'pdu',
      pdu: hex.toUpperCase(),
      to: decoded.destination.value,
      text: decoded.userData.text,
      encoding: decoded.userData.encoding,
      concat: decoded.userData.concat,
      statusReportRequested: decoded.statusReportRequest,
    },
  };
}

export interface TextModeSettings {
  readonly cscs: 'GSM' | 'IRA' | 'UCS2';
  readonly csmp: { readonly fo: number; readonly dcs: number };
}

export function textSubmission(to: string, data: string, settings: TextModeSettings): SubmissionResult {
  const dcs = settings.csmp.dcs;
  const encoding: Encoding = (dcs & 0x0c) === 0x08 ? 'ucs2' : (dcs & 0x0c) === 0x04 ? 'binary' : 'gsm7';
  let text = data;
  if (settings.cscs === 'UCS2') {
    if (!/^(?:[0-9A-Fa-f]{4})*$/.test(data)) return refuse(305);
    text = String.fromCharCode(...(data.match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16)));
  }
  const limit = encoding === 'ucs2' ? 70 : encoding === 'binary' ? 140 : 160;
  if (text.length > limit) return refuse(305);
  return { ok: true, submission: { mode: 'text', to, text, encoding, statusReportRequested: (settings.csmp.fo & 0x20) !== 0 } };
}
