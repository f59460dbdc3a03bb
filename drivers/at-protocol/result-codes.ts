/**
 * Final result codes (ITU-T V.250 clause 5.7.1 with ATV1 verbose words; 3GPP TS 27.007 clause 9.2 +CME ERROR and
 * TS 27.005 clause 3.2.5 +CMS ERROR). AT+CMEE selects how a modem words a failure: 0 plain `ERROR`, 1 the number,
 * 2 the name from the tables. Decoding only: what a failure means to the driver is judged elsewhere.
 */
import { CME_CODES } from './cme-codes.ts';
import { CMS_CODES } from './cms-codes.ts';

/** A final result line as read from the modem. `code` is null for the verbose (AT+CMEE=2) form. */
export type FinalResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'error' }
  | { readonly kind: 'cme'; readonly code: number | null; readonly text: string }
  | { readonly kind: 'cms'; readonly code: number | null; readonly text: string }
  /** Other V.250 final codes (NO CARRIER, BUSY, ...) and vendor ones ("COMMAND NOT SUPPORT"). */
  | { readonly kind: 'other'; readonly text: string };

const FINAL_WORDS: Readonly<Record<string, FinalResult>> = {
  OK: { kind: 'ok' },
  ERROR: { kind: 'error' },
  'NO CARRIER': { kind: 'other', text: 'NO CARRIER' },
  BUSY: { kind: 'other', text: 'BUSY' },
  'NO ANSWER': { kind: 'other', text: 'NO ANSWER' },
  'NO DIALTONE': { kind: 'other', text: 'NO DIALTONE' },
  'COMMAND NOT SUPPORT': { kind: 'other', text: 'COMMAND NOT SUPPORT' },
};

/** Parses a final result code line, or null when the line is not one. */
export function parseFinal(line: string): FinalResult | null {
  const word = FINAL_WORDS[line.toUpperCase()];
  if (word !== undefined) return word;
  const match = /^\+(CME|CMS) ERROR:\s*(.*)$/i.exec(line);
  if (match === null) return null;
  const text = (match[2] ?? '').trim();
  const code = /^\d+$/.test(text) ? Number(text) : null;
  return { kind: match[1]?.toUpperCase() === 'CME' ? 'cme' : 'cms', code, text };
}

/** A failure a modem answers, before AT+CMEE decides its wording. */
export type AtFailure =
  | { readonly kind: 'plain' }
  | { readonly kind: 'cme'; readonly code: number }
  | { readonly kind: 'cms'; readonly code: number };

export const PLAIN_ERROR: AtFailure = { kind: 'plain' };
export const cme = (code: number): AtFailure => ({ kind: 'cme', code });
export const cms = (code: number): AtFailure => ({ kind: 'cms', code });

/** The final result line for a failure under an AT+CMEE setting. */
export function failureLine(failure: AtFailure, cmee: number): string {
  if (failure.kind === 'plain' || cmee === 0) return 'ERROR';
  const table = failure.kind === 'cme' ? CME_CODES : CMS_CODES;
  const prefix = failure.kind === 'cme' ? '+CME ERROR' : '+CMS ERROR';
  if (cmee === 2) return `${prefix}: ${table[failure.code]?.name ?? `unknown error ${failure.code}`}`;
  return `${prefix}: ${failure.code}`;
}
