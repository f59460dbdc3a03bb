/**
 * Readers for the information responses the driver uses (3GPP TS 27.007 and 27.005 syntax). Pure; each
 * returns null (or a neutral value) for a line it cannot read, and the caller decides what that means.
 */
import { linePrefix } from './line-framer.ts';

/** An information response line of a command, with the PDU line that follows +CMGR / +CMGL. */
export interface ResponseLine {
  readonly text: string;
  readonly pdu?: string;
}

/** The parameters after "<prefix>: ", split on commas outside quotes, quotes removed. */
export function parameters(text: string): string[] {
  const colon = text.indexOf(':');
  const body = colon < 0 ? text : text.slice(colon + 1);
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out;
}

/** The value of a bare or prefixed one-value reply (AT+CGSN, AT+CIMI, AT+CCID, AT^ICCID?). */
export function singleValue(lines: readonly ResponseLine[]): string | null {
  const line = lines[0];
  if (line === undefined) return null;
  const text = /^[+^!][A-Za-z]+:/.test(line.text) ? line.text.slice(line.text.indexOf(':') + 1) : line.text;
  const value = text.trim().replace(/^"|"$/g, '');
  return value === '' ? null : value;
}

export type SimState = 'ready' | 'pin' | 'puk' | 'other';

/** +CPIN: <code> (27.007 clause 8.3). */
export function parseCpin(lines: readonly ResponseLine[]): { state: SimState; code: string } {
  const code = (lines.find((l) => l.text.toUpperCase().startsWith('+CPIN'))?.text.slice(6) ?? '').trim().toUpperCase();
  if (code === 'READY') return { state: 'ready', code };
  if (code === 'SIM PIN') return { state: 'pin', code };
  if (code === 'SIM PUK') return { state: 'puk', code };
  return { state: 'other', code };
}

/**
 * +CREG / +CEREG: [<n>,]<stat>[,...] (27.007 clauses 7.2 and 10.1.22). The query answer has <n> first; the
 * unsolicited form starts with <stat>. Returns <stat> or null.
 */
export function parseRegistration(text: string, solicited: boolean): number | null {
  const params = parameters(text);
  const stat = Number(params[solicited ? 1 : 0]);
  return Number.isInteger(stat) ? stat : null;
}

export const REGISTRATION_NAMES: Readonly<Record<number, string>> = {
  0: 'not registered',
  1: 'registered, home network',
  2: 'searching',
  3: 'registration denied',
  4: 'unknown',
  5: 'registered, roaming',
  6: 'registered for SMS only, home network',
  7: 'registered for SMS only, roaming',
};

export function isRegistered(stat: number | null): boolean {
  return stat === 1 || stat === 5 || stat === 6 || stat === 7;
}

/** +COPS: <mode>[,<format>,<oper>[,<AcT>]] (27.007 clause 7.3): the operator name or numeric code. */
export function parseCops(lines: readonly ResponseLine[]): string | null {
  const line = lines.find((l) => l.text.toUpperCase().startsWith('+COPS'));
  if (line === undefined) return null;
  const oper = parameters(line.text)[2];
  return oper === undefined || oper === '' ? null : oper;
}

/** +CSQ: <rssi>,<ber> (27.007 clause 8.5): rssi 0..31, 99 unknown; dBm = -113 + 2 * rssi. */
export function parseCsq(lines: readonly ResponseLine[]): { rssi: number | null; dbm: number | null } {
  const line = lines.find((l) => l.text.toUpperCase().startsWith('+CSQ'));
  const rssi = line === undefined ? NaN : Number(parameters(line.text)[0]);
  if (!Number.isInteger(rssi) || rssi < 0 || rssi > 31) return { rssi: null, dbm: null };
  return { rssi, dbm: -113 + 2 * rssi };
}

/** +CSCA: <sca>,<tosca> (27.005 clause 3.3.1). */
export function parseCsca(lines: readonly ResponseLine[]): string | null {
  const line = lines.find((l) => l.text.toUpperCase().startsWith('+CSCA'));
  const sca = line === undefined ? '' : (parameters(line.text)[0] ?? '');
  return sca === '' ? null : sca;
}

/** +CMTI / +CDSI: <mem>,<index> (27.005 clause 3.4.1). */
export function parseStoredIndication(text: string): { mem: string; index: number } | null {
  const [mem, index] = parameters(text);
  const n = Number(index);
  return mem !== undefined && mem !== '' && Number.isInteger(n) && n >= 0 ? { mem: mem.toUpperCase(), index: n } : null;
}

/** +CMGL: <index>,<stat>,[<alpha>],<length> in PDU mode (27.005 clause 3.4.2). */
export function parseCmglIndex(text: string): number | null {
  const n = Number(parameters(text)[0]);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** +CMGS: <mr>[,<scts>] (27.005 clause 3.5.1): the TP-Message-Reference 0..255, or null. */
export function parseCmgs(lines: readonly ResponseLine[]): number | null {
  const line = lines.find((l) => linePrefix(l.text) === '+CMGS');
  const mr = line === undefined ? NaN : Number(line.text.slice(line.text.indexOf(':') + 1).split(',')[0]?.trim());
  return Number.isInteger(mr) && mr >= 0 && mr <= 255 ? mr : null;
}
