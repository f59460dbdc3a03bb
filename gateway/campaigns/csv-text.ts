/**
 * The text of a campaign CSV from its octets, as Japanese operators produce them: UTF-8 with or without a BOM, or
 * Shift_JIS as spreadsheet software in Japan saves it (WHATWG `shift_jis`, which is Windows-31J / CP932 with the NEC
 * and IBM extensions, through Node's TextDecoder). The operator may name the encoding; otherwise it is detected:
 * - a BOM: UTF-8;
 * - ASCII reads the same in both, so the text goes on undecided until the first non-ASCII octet; from there up to
 *   64 KiB (or the rest of the file) is tried as strict UTF-8: if it decodes, UTF-8, else Shift_JIS. Japanese text
 *   in Shift_JIS is practically never valid UTF-8 over that length.
 * Decoding is strict either way: an octet sequence the encoding cannot hold refuses the file (CAMPAIGN_INVALID_CSV,
 * with its offset), never becomes U+FFFD in a message.
 * CRLF becomes LF, also inside quoted cells: a line break in a message is one LF, and the CSV parser's line count
 * stays exact (it counts a quoted CRLF twice).
 */
import { TextDecoder } from 'node:util';
import { campaignError } from './campaign-errors.ts';

export type CsvEncoding = 'utf-8' | 'shift_jis';

const ENCODING_NAMES: Readonly<Record<string, CsvEncoding | 'auto'>> = {
  auto: 'auto',
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  shift_jis: 'shift_jis',
  'shift-jis': 'shift_jis',
  sjis: 'shift_jis',
  'windows-31j': 'shift_jis',
  cp932: 'shift_jis',
  ms932: 'shift_jis',
};

const SNIFF_BYTES = 64 * 1024;
const BOM = [0xef, 0xbb, 0xbf] as const;

/** The encoding an operator named (`auto` when none); throws CAMPAIGN_INVALID_REQUEST for a name not supported. */
export function csvEncodingOf(name: string | undefined): CsvEncoding | 'auto' {
  if (name === undefined || name === '') return 'auto';
  const encoding = ENCODING_NAMES[name.trim().toLowerCase()];
  if (encoding === undefined) {
    throw campaignError('CAMPAIGN_INVALID_REQUEST', `encoding "${name}" is not supported: auto, utf-8 or shift_jis (cp932, windows-31j)`, { field: 'encoding' });
  }
  return encoding;
}

/** Decodes a CSV's octets chunk by chunk; `encoding` says what was used once it is known. */
export class CsvTextDecoder {
  private decoder: TextDecoder | undefined;
  private chosen: CsvEncoding | undefined;
  private pending: Buffer = Buffer.alloc(0);
  /** Octets handed to the decoder so far (for the offset of a bad sequence). */
  private decoded = 0;
  private started = false;
  private heldCr = false;

  constructor(wanted: CsvEncoding | 'auto') {
    if (wanted !== 'auto') this.choose(wanted);
  }

  /** The encoding in use; undefined while the text has been ASCII only. */
  get encoding(): CsvEncoding | undefined {
    return this.chosen;
  }

  write(chunk: Uint8Array): string {
    return this.lineFeeds(this.decode(chunk, false), false);
  }

  end(): string {
    return this.lineFeeds(this.decode(new Uint8Array(0), true), true);
  }

  private decode(chunk: Uint8Array, last: boolean): string {
    if (this.decoder !== undefined) return this.run(chunk, last);
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    if (!this.started) {
      const head = this.pending.subarray(0, BOM.length);
      if (!last && head.length < BOM.length && head.every((octet, i) => octet === BOM[i])) return '';
      this.started = true;
      if (head.length === BOM.length && head.every((octet, i) => octet === BOM[i])) return this.decideAndRun('utf-8', last);
    }
    const firstHigh = this.pending.findIndex((octet) => octet >= 0x80);
    let ascii = '';
    if (firstHigh !== 0) {
      const end = firstHigh === -1 ? this.pending.length : firstHigh;
      ascii = this.pending.toString('latin1', 0, end);
      this.decoded += end;
      this.pending = this.pending.subarray(end);
    }
    if (this.pending.length === 0 || (!last && this.pending.length < SNIFF_BYTES)) return ascii;
    return ascii + this.decideAndRun(looksLikeUtf8(this.pending, last) ? 'utf-8' : 'shift_jis', last);
  }

  private decideAndRun(encoding: CsvEncoding, last: boolean): string {
    this.choose(encoding);
    const held = this.pending;
    this.pending = Buffer.alloc(0);
    return this.run(held, last);
  }

  private choose(encoding: CsvEncoding): void {
    this.chosen = encoding;
    // ignoreBOM false: a UTF-8 BOM is dropped here, so the header's first name never starts with U+FEFF.
    this.decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  }

  private run(chunk: Uint8Array, last: boolean): string {
    const decoder = this.decoder as TextDecoder;
    try {
      const text = decoder.decode(chunk, { stream: !last });
      this.decoded += chunk.length;
      return text;
    } catch (error: unknown) {
      const name = this.chosen === 'utf-8' ? 'UTF-8' : 'Shift_JIS';
      const other = this.chosen === 'utf-8' ? 'shift_jis' : 'utf-8';
      throw campaignError('CAMPAIGN_INVALID_CSV', `not valid ${name} after byte ${this.decoded} (name the encoding, e.g. encoding=${other}, if it was detected wrongly)`, { field: 'file', encoding: this.chosen }, { cause: error });
    }
  }

  /** CRLF as LF; a CR at the end of a chunk waits for the next one. */
  private lineFeeds(text: string, last: boolean): string {
    let out = this.heldCr ? `\r${text}` : text;
    this.heldCr = false;
    if (!last && out.endsWith('\r')) {
      this.heldCr = true;
      out = out.slice(0, -1);
    }
    return out.replaceAll('\r\n', '\n');
  }
}

function looksLikeUtf8(octets: Buffer, last: boolean): boolean {
  try {
    // Streaming mode accepts a sequence cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(octets, { stream: !last });
    return true;
  } catch {
    return false;
  }
}
