/**
 * AT line framing (ITU-T V.250 clause 5.7.1 and 3GPP TS 27.007 / 27.005): bytes from the modem in, events out.
 * Pure: no I/O, no clock. The command layer tells the framer which information-response prefixes the pending
 * command owns (`expect`), because some codes (+CREG, +CPIN, ...) are both responses and unsolicited codes.
 *
 * - Lines end with CR and/or LF; empty lines are dropped.
 * - The "> " prompt after AT+CMGS=<n> has no line ending; it is recognised at the start of a line.
 * - A line ended by Ctrl-Z is the echo of a PDU; a line starting with "AT" is the echo of a command.
 * - +CMT, +CDS (unsolicited) and +CMGR, +CMGL (responses) are followed by a PDU line that belongs to them,
 *   unless the next line is a final result code (an empty entry).
 * - Bytes that are not printable ASCII, CR, LF or Ctrl-Z are noise on the line: dropped and counted.
 */
import { parseFinal, type FinalResult } from './result-codes.ts';

export type FrameEvent =
  | { readonly type: 'prompt' }
  | { readonly type: 'echo'; readonly text: string }
  | { readonly type: 'final'; readonly result: FinalResult }
  /** An information response line of the pending command (with its PDU line when one follows). */
  | { readonly type: 'line'; readonly text: string; readonly pdu?: string }
  /** An unsolicited result code; `name` is its prefix ("+CMTI", "RING"). */
  | { readonly type: 'urc'; readonly name: string; readonly text: string; readonly pdu?: string };

/** Prefixes that are always unsolicited. */
const ALWAYS_URC = new Set([
  '+CMTI', '+CMT', '+CDS', '+CDSI', '+CBM', '+CBMI', 'RING', '+CRING', '+CLIP', '+CCWA', '+CUSD', '+CIEV',
  '^RSSI', '^BOOT', '^MODE', '^SRVST', '^SIMST', '^HCSQ', '+QIND', '+CGEV', 'RDY', 'SMS READY', 'CALL READY',
  'PB DONE', '+PBREADY',
]);

/** Prefixes that answer a query and are also sent unsolicited (registration changes, SIM and power state). */
const SOMETIMES_URC = new Set(['+CREG', '+CGREG', '+CEREG', '+C5GREG', '+CPIN', '+CFUN', '+CSQ']);

/** Lines whose next line is a PDU belonging to them. */
const PDU_FOLLOWS = new Set(['+CMT', '+CDS', '+CMGR', '+CMGL']);

const CR = 0x0d;
const LF = 0x0a;
const CTRL_Z = 0x1a;
const TAB = 0x09;

/** The prefix of a result line: "+CMTI" of '+CMTI: "SM",3', or the whole line for bare words. */
export function linePrefix(line: string): string {
  const colon = line.indexOf(':');
  if ((line.startsWith('+') || line.startsWith('^')) && colon > 0) return line.slice(0, colon).toUpperCase();
  return line.toUpperCase();
}

export class LineFramer {
  private line = '';
  private expected = new Set<string>();
  private exactEcho: string | null = null;
  /** The line waiting for its PDU line, when one was announced. */
  private awaitingPdu: { readonly urc: boolean; readonly name: string; readonly text: string } | null = null;
  private noise = 0;

  /** Noise bytes dropped so far. */
  get garbageBytes(): number {
    return this.noise;
  }

  /**
   * Information-response prefixes (e.g. "+CREG") the pending command owns; [] when none is pending.
   * `echoOf`: for a command answering bare text (AT+CGMI may answer "ATMEL"), only the command itself is
   * taken as its echo; otherwise any line starting with "AT" is one.
   */
  expect(prefixes: readonly string[], echoOf?: string): void {
    this.expected = new Set(prefixes.map((p) => p.toUpperCase()));
    this.exactEcho = echoOf === undefined ? null : echoOf.toUpperCase();
  }

  push(chunk: Uint8Array | string): FrameEvent[] {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const events: FrameEvent[] = [];
    for (const byte of bytes) {
      if (byte === CR || byte === LF) {
        this.endLine(events, false);
      } else if (byte === CTRL_Z) {
        this.endLine(events, true);
      } else if ((byte >= 0x20 && byte <= 0x7e) || byte === TAB) {
        this.line += String.fromCharCode(byte);
        if (this.line === '> ') {
          this.line = '';
          events.push({ type: 'prompt' });
        }
      } else {
        this.noise += 1;
      }
    }
    return events;
  }

  private endLine(events: FrameEvent[], ctrlZ: boolean): void {
    const text = this.line.trim();
    this.line = '';
    if (text === '') return;
    if (ctrlZ || (/^AT/i.test(text) && (this.exactEcho === null || text.toUpperCase() === this.exactEcho))) {
      events.push({ type: 'echo', text });
      return;
    }
    const final = parseFinal(text);
    if (this.awaitingPdu !== null) {
      const owner = this.awaitingPdu;
      this.awaitingPdu = null;
      if (final === null) {
        events.push(owner.urc ? { type: 'urc', name: owner.name, text: owner.text, pdu: text } : { type: 'line', text: owner.text, pdu: text });
        return;
      }
      events.push(owner.urc ? { type: 'urc', name: owner.name, text: owner.text } : { type: 'line', text: owner.text });
    }
    if (final !== null) {
      events.push({ type: 'final', result: final });
      return;
    }
    if (text === '>') {
      events.push({ type: 'prompt' });
      return;
    }
    const name = linePrefix(text);
    const urc = ALWAYS_URC.has(name) || (SOMETIMES_URC.has(name) && !this.expected.has(name));
    if (PDU_FOLLOWS.has(name)) {
      this.awaitingPdu = { urc, name, text };
      return;
    }
    events.push(urc ? { type: 'urc', name, text } : { type: 'line', text });
  }
}
