/**
 * SMPP 3.4 Appendix B "Delivery Receipt Format", the short_message text of a deliver_sm with esm_class 0x04:
 *   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
 * (id up to 10 characters in the appendix, 65 in practice; sub / dlvrd / err three digits; text the first 20
 * characters of the message). Parsing is tolerant of what carriers send: keys in any case and order,
 * `submit_date` / `done_date`, extra spaces, missing fields, dates of 10 or 12 digits (with seconds) or 14
 * (four-digit year), a `text:` that runs to the end and may hold colons. Only a missing id is refused.
 *
 * Message ids: a receipt may carry the id with leading zeros, in another case, or in decimal where the
 * submit_sm_resp gave hex (or the reverse). `normalizeMessageId` and `messageIdCandidates` let correlation match.
 */
import { codecError } from './errors.ts';
import { RECEIPT_STATE_TO_STAT, STAT_ALIASES, STAT_TO_RECEIPT_STATE, type ReceiptState } from './receipt-state.ts';

export interface ReceiptText {
  readonly id: string;
  readonly sub?: number;
  readonly dlvrd?: number;
  /** The SC's clock, which receipts give without a time zone: the fields are read as UTC. */
  readonly submitDate?: Date;
  readonly doneDate?: Date;
  /** As sent, uppercased (e.g. DELIVRD). */
  readonly stat?: string;
  /** As sent (often three digits, sometimes hex or longer). */
  readonly err?: string;
  readonly text?: string;
  /** `stat` normalized; 'unknown' when stat is missing or not recognized. */
  readonly state: ReceiptState;
  /** Field values as they appeared, for dates that did not parse and for logs. */
  readonly raw: Readonly<Record<string, string>>;
}

type Key = 'id' | 'sub' | 'dlvrd' | 'submitDate' | 'doneDate' | 'stat' | 'err' | 'text';

/** A key starts the text or follows whitespace (or a comma / semicolon some carriers put between fields). */
const KEY_SEARCH = /(?:^|[\s,;])(id|sub|dlvrd|submit[ _]?date|done[ _]?date|stat|err|text)[ \t]*:/gi;

function keyOf(name: string): Key {
  const lower = name.toLowerCase();
  if (lower.startsWith('submit')) return 'submitDate';
  if (lower.startsWith('done')) return 'doneDate';
  return lower as Key;
}

/**
 * Appendix B exactly as the appendix spells it, which is what most SMSCs (and the simulator) send: one anchored
 * match reads every field, where `fieldsByKey` runs a search per key. A value here holds no whitespace, comma,
 * semicolon or colon, so no key can hide inside one; any other spelling, order or spacing goes to `fieldsByKey`.
 * Both give the same fields for every text this matches (a property test holds them to it).
 */
const APPENDIX_B =
  /^id:([^\s,;:]+) sub:([^\s,;:]*) dlvrd:([^\s,;:]*) submit date:([^\s,;:]*) done date:([^\s,;:]*) stat:([^\s,;:]*) err:([^\s,;:]*) text:(.*)$/s;

/** The fields of a receipt in the appendix's own layout, or undefined for any other. */
export function appendixBFields(text: string): Record<string, string> | undefined {
  const m = APPENDIX_B.exec(text);
  if (m === null) return undefined;
  return {
    id: m[1] as string,
    sub: m[2] as string,
    dlvrd: m[3] as string,
    submitDate: m[4] as string,
    doneDate: m[5] as string,
    stat: m[6] as string,
    err: m[7] as string,
    text: (m[8] as string).trim(),
  };
}

/** The fields of a receipt in any layout: each key found where it stands, its value running to the next key. */
export function fieldsByKey(text: string): Record<string, string> {
  const raw: Record<string, string> = {};
  const matches = [...text.matchAll(KEY_SEARCH)];
  for (let m = 0; m < matches.length; m++) {
    const match = matches[m]!;
    const key = keyOf(match[1] ?? '');
    const valueStart = (match.index ?? 0) + match[0].length;
    if (key === 'text') {
      // text: is the last field and free-form: everything after it belongs to it, colons included.
      if (!('text' in raw)) raw.text = text.slice(valueStart).trim();
      break;
    }
    const next = matches[m + 1];
    const valueEnd = next === undefined ? text.length : (next.index ?? text.length);
    if (!(key in raw)) raw[key] = text.slice(valueStart, valueEnd).trim();
  }
  return raw;
}

export function parseReceiptText(text: string): ReceiptText {
  const raw = appendixBFields(text) ?? fieldsByKey(text);
  const id = raw.id;
  if (id === undefined || id === '') {
    throw codecError('CODEC_INVALID_RECEIPT', 'no id: field', { field: 'id', text: text.slice(0, 160) });
  }
  const stat = raw.stat === undefined ? undefined : raw.stat.toUpperCase();
  const result: { -readonly [K in keyof ReceiptText]?: ReceiptText[K] } = { id, state: statToState(stat), raw };
  const sub = parseCount(raw.sub);
  if (sub !== undefined) result.sub = sub;
  const dlvrd = parseCount(raw.dlvrd);
  if (dlvrd !== undefined) result.dlvrd = dlvrd;
  const submitDate = parseReceiptDate(raw.submitDate);
  if (submitDate !== undefined) result.submitDate = submitDate;
  const doneDate = parseReceiptDate(raw.doneDate);
  if (doneDate !== undefined) result.doneDate = doneDate;
  if (stat !== undefined && stat !== '') result.stat = stat;
  if (raw.err !== undefined && raw.err !== '') result.err = raw.err;
  if (raw.text !== undefined) result.text = raw.text;
  return result as ReceiptText;
}

/** A stat value (any case) to a receipt state; 'unknown' for anything not recognized. */
export function statToState(stat: string | undefined): ReceiptState {
  if (stat === undefined) return 'unknown';
  const upper = stat.trim().toUpperCase();
  return STAT_TO_RECEIPT_STATE[upper] ?? STAT_ALIASES[upper] ?? 'unknown';
}

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  return Number(value);
}

/** YYMMDDhhmm, YYMMDDhhmmss or YYYYMMDDhhmmss, read as UTC; undefined when not a valid date. */
export function parseReceiptDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const digits = value.replace(/\s+/g, '');
  let year: number;
  let rest: string;
  if (/^\d{10}$|^\d{12}$/.test(digits)) {
    year = 2000 + Number(digits.slice(0, 2));
    rest = digits.slice(2);
  } else if (/^\d{14}$/.test(digits)) {
    year = Number(digits.slice(0, 4));
    rest = digits.slice(4);
  } else {
    return undefined;
  }
  const month = Number(rest.slice(0, 2));
  const day = Number(rest.slice(2, 4));
  const hour = Number(rest.slice(4, 6));
  const minute = Number(rest.slice(6, 8));
  const second = rest.length > 8 ? Number(rest.slice(8, 10)) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February into March: such a date is not what was sent.
  return date.getUTCDate() === day ? date : undefined;
}

export interface ReceiptFields {
  readonly id: string;
  readonly sub?: number;
  readonly dlvrd?: number;
  readonly submitDate?: Date;
  readonly doneDate?: Date;
  /** A stat text (DELIVRD) or a receipt state (delivered). */
  readonly stat: string;
  readonly err?: number | string;
  /** The message text; the first 20 characters are written. */
  readonly text?: string;
  /** Write dates with seconds (12 digits). Default false: the 10 digits of Appendix B. */
  readonly seconds?: boolean;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function formatReceiptDate(date: Date, seconds = false): string {
  const base = `${pad2(date.getUTCFullYear() % 100)}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}${pad2(date.getUTCHours())}${pad2(date.getUTCMinutes())}`;
  return seconds ? `${base}${pad2(date.getUTCSeconds())}` : base;
}

/** Appendix B receipt text, as an SMSC (the simulator) writes it. */
export function formatReceiptText(fields: ReceiptFields): string {
  const stat = (RECEIPT_STATE_TO_STAT as Readonly<Record<string, string>>)[fields.stat] ?? fields.stat.toUpperCase();
  const now = fields.doneDate ?? fields.submitDate;
  const submit = fields.submitDate ?? now;
  const count = (n: number | undefined, fallback: number): string => String(n ?? fallback).padStart(3, '0');
  const err = typeof fields.err === 'number' ? String(fields.err).padStart(3, '0') : (fields.err ?? '000');
  const pieces = [`id:${fields.id}`, `sub:${count(fields.sub, 1)}`, `dlvrd:${count(fields.dlvrd, stat === 'DELIVRD' ? 1 : 0)}`];
  if (submit !== undefined) pieces.push(`submit date:${formatReceiptDate(submit, fields.seconds)}`);
  if (now !== undefined) pieces.push(`done date:${formatReceiptDate(now, fields.seconds)}`);
  pieces.push(`stat:${stat}`, `err:${err}`, `text:${[...(fields.text ?? '')].slice(0, 20).join('')}`);
  return pieces.join(' ');
}

/**
 * Canonical form of a carrier message id: trimmed; an id of hex digits (or decimal digits) loses its leading
 * zeros and is lowercased. `hint` says how to read an ambiguous id; other ids (UUIDs with dashes, mixed text)
 * are only trimmed, since their case may matter.
 */
export function normalizeMessageId(id: string, hint?: 'hex' | 'decimal'): string {
  const trimmed = id.trim();
  if (hint === 'decimal' ? /^\d+$/.test(trimmed) : /^[0-9a-fA-F]+$/.test(trimmed)) {
    const stripped = trimmed.replace(/^0+(?=.)/, '');
    return stripped.toLowerCase();
  }
  return trimmed;
}

/**
 * Forms under which the same id may appear: normalized as-is, read as decimal and written in hex, read as hex and
 * written in decimal. Correlation looks up each until one matches.
 */
export function messageIdCandidates(id: string): string[] {
  const normalized = normalizeMessageId(id);
  const candidates = [normalized];
  if (/^\d+$/.test(normalized)) candidates.push(BigInt(normalized).toString(16));
  if (/^[0-9a-f]+$/.test(normalized)) candidates.push(BigInt(`0x${normalized}`).toString(10));
  return [...new Set(candidates)];
}
