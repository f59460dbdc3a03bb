/**
 * ITU-T V.250 clause 5.2 command line syntax as a TS 27.007 modem reads it:
 *   AT <command> [<command> ...]          basic commands (E0, V1, I, Z, &F, S0=0) follow each other directly;
 *   AT+CMGF=0;+CNMI=2,1,0,2,0             extended commands (+ or ^ and a name) are separated by `;`.
 * Each extended command has four forms: exec `+CSQ`, set `+CMGF=0`, read `+CMGF?`, test `+CMGF=?`.
 * Parameters are decimal numbers or quoted strings; a `;` inside quotes does not end the command.
 */

export type AtForm = 'exec' | 'set' | 'read' | 'test';

export interface AtCommand {
  /** Upper case, with its prefix: `+CMGS`, `^ICCID`, `E`, `&F`, `S`. */
  readonly name: string;
  readonly form: AtForm;
  /** Parameters with quotes removed; an omitted parameter is ''. Basic commands carry their number here. */
  readonly args: readonly string[];
  /** Which parameters were quoted (the same length as args). */
  readonly quoted: readonly boolean[];
  /** The command as typed, for logs. */
  readonly text: string;
}

export type ParsedLine = { readonly ok: true; readonly commands: readonly AtCommand[] } | { readonly ok: false; readonly at: number };

const EXTENDED_PREFIXES = '+^$#%!*';

/** Parses what follows `AT` on a command line; `{ ok: false }` when the syntax is wrong (the modem answers ERROR). */
export function parseCommandLine(body: string): ParsedLine {
  const commands: AtCommand[] = [];
  let i = 0;
  while (i < body.length) {
    const ch = body[i] as string;
    if (ch === ' ' || ch === ';') {
      i += 1;
      continue;
    }
    if (EXTENDED_PREFIXES.includes(ch)) {
      const parsed = parseExtended(body, i);
      if (parsed === undefined) return { ok: false, at: i };
      commands.push(parsed.command);
      i = parsed.next;
      continue;
    }
    const parsed = parseBasic(body, i);
    if (parsed === undefined) return { ok: false, at: i };
    commands.push(parsed.command);
    i = parsed.next;
  }
  return { ok: true, commands };
}

function parseExtended(body: string, start: number): { command: AtCommand; next: number } | undefined {
  let i = start + 1;
  while (i < body.length && /[A-Za-z0-9_.]/.test(body[i] as string)) i += 1;
  if (i === start + 1) return undefined;
  const name = body.slice(start, i).toUpperCase();
  let form: AtForm = 'exec';
  let args: string[] = [];
  let quoted: boolean[] = [];
  if (body.startsWith('=?', i)) {
    form = 'test';
    i += 2;
  } else if (body[i] === '?') {
    form = 'read';
    i += 1;
  } else if (body[i] === '=') {
    form = 'set';
    const parsed = parseArguments(body, i + 1);
    if (parsed === undefined) return undefined;
    ({ args, quoted } = parsed);
    i = parsed.next;
  }
  while (i < body.length && body[i] === ' ') i += 1;
  if (i < body.length && body[i] !== ';') return undefined;
  return { command: { name, form, args, quoted, text: body.slice(start, i) }, next: i };
}

function parseArguments(body: string, start: number): { args: string[]; quoted: boolean[]; next: number } | undefined {
  const args: string[] = [];
  const quoted: boolean[] = [];
  let i = start;
  let current = '';
  let wasQuoted = false;
  for (;;) {
    const ch = body[i];
    if (ch === undefined || ch === ';') {
      args.push(current.trim());
      quoted.push(wasQuoted);
      return { args, quoted, next: i };
    }
    if (ch === '"') {
      const end = body.indexOf('"', i + 1);
      if (end < 0) return undefined;
      current += body.slice(i + 1, end);
      wasQuoted = true;
      i = end + 1;
      continue;
    }
    if (ch === ',') {
      args.push(current.trim());
      quoted.push(wasQuoted);
      current = '';
      wasQuoted = false;
      i += 1;
      continue;
    }
    current += ch;
    i += 1;
  }
}

function parseBasic(body: string, start: number): { command: AtCommand; next: number } | undefined {
  let i = start;
  let name = (body[i] as string).toUpperCase();
  if (name === '&' || name === '\\') {
    const letter = body[i + 1];
    if (letter === undefined || !/[A-Za-z]/.test(letter)) return undefined;
    name += letter.toUpperCase();
    i += 2;
  } else if (/[A-Z]/.test(name)) {
    i += 1;
  } else {
    return undefined;
  }
  if (name === 'S') {
    // S-registers: S<n>? reads, S<n>=<v> writes.
    const match = /^(\d+)(\?|=(\d*))?/.exec(body.slice(i));
    if (match === null) return undefined;
    const register = match[1] as string;
    const form: AtForm = match[2] === '?' ? 'read' : match[2] === undefined ? 'exec' : 'set';
    const args = form === 'set' ? [register, match[3] ?? ''] : [register];
    return { command: { name, form, args, quoted: args.map(() => false), text: body.slice(start, i + match[0].length) }, next: i + match[0].length };
  }
  if (name === 'D') {
    // Dialling takes the rest of the command up to `;`.
    const end = body.indexOf(';', i);
    const number = body.slice(i, end < 0 ? body.length : end);
    const next = end < 0 ? body.length : end + 1;
    return { command: { name, form: 'exec', args: [number], quoted: [false], text: body.slice(start, next) }, next };
  }
  const digits = /^\d*/.exec(body.slice(i))?.[0] ?? '';
  i += digits.length;
  return { command: { name, form: 'exec', args: [digits], quoted: [false], text: body.slice(start, i) }, next: i };
}
