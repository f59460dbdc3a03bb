/**
 * The AT commands the virtual modem knows: V.250 basics, TS 27.007 (identity, SIM, network) and TS 27.005 (SMS).
 * Each handler answers one command in one form; the engine frames lines and result codes, and ends a chain at
 * the first failure. A command not in the table answers plain ERROR, as V.250 asks for unknown commands.
 */
import { PLAIN_ERROR, cme, cms, type AtCommand, type AtFailure } from '../../drivers/at-protocol/index.ts';
import { fail, ok, type ModemContext, type Outcome } from './modem-context.ts';
import { STAT_TEXT, STORAGE_NAMES, type MessageStat, type StorageName, type StoredMessage } from './sms-storage.ts';

type Handler = (command: AtCommand, modem: ModemContext) => Outcome;

/** Handlers by form; a form a command lacks answers +CME ERROR: 4 (or plain ERROR for basic commands). */
type CommandSpec = Partial<Record<AtCommand['form'], Handler>>;

const OK = ok();
const intArg = (command: AtCommand, i: number): number | undefined => {
  const raw = command.args[i];
  if (raw === undefined || raw === '' || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
};
const inRange = (value: number | undefined, min: number, max: number): value is number => value !== undefined && value >= min && value <= max;

/** SMS commands need a usable SIM: +CMS ERROR 310 / 311 / 316 / 313 otherwise. */
function smsSimFailure(modem: ModemContext): AtFailure | undefined {
  switch (modem.sim.status) {
    case 'ready':
      return undefined;
    case 'absent':
      return cms(310);
    case 'pin':
      return cms(311);
    case 'puk':
      return cms(316);
    case 'failure':
      return cms(313);
  }
}

/** Equipment commands that read the SIM: +CME ERROR 10 / 11 / 12 / 13. */
function simFailure(modem: ModemContext, allowLocked = false): AtFailure | undefined {
  switch (modem.sim.status) {
    case 'ready':
      return undefined;
    case 'absent':
      return cme(10);
    case 'pin':
      return allowLocked ? undefined : cme(11);
    case 'puk':
      return allowLocked ? undefined : cme(12);
    case 'failure':
      return cme(13);
  }
}

const withSms = (handler: Handler): Handler => (command, modem) => {
  const failure = smsSimFailure(modem);
  return failure === undefined ? handler(command, modem) : fail(failure);
};

const constant = (lines: (modem: ModemContext) => string[]): Handler => (_command, modem) => ok(...lines(modem));

function ati(modem: ModemContext): string[] {
  const { identity } = modem;
  if (modem.profile.name === 'quectel-ec25') return [identity.manufacturer, identity.model, `Revision: ${identity.revision}`];
  return [
    `Manufacturer: ${identity.manufacturer}`,
    `Model: ${identity.model}`,
    `Revision: ${identity.revision}`,
    `IMEI: ${identity.imei}`,
    '+GCAP: +CGSM,+DS,+ES',
  ];
}

/** Quoted string parameter of a text-mode line. */
const q = (text: string): string => `"${text}"`;

function copsName(modem: ModemContext): string {
  const { carrier } = modem.identity;
  if (modem.settings.copsFormat === 2) return q(carrier.plmn);
  return q(modem.settings.copsFormat === 1 ? carrier.shortName : carrier.longName);
}

/** LAC / TAC and cell id of the (fixed) serving cell, for AT+CREG=2 / AT+CEREG=2. */
const CELL = { lac: '1A2B', ci: '01C3D4E5', act: 7 };

function registrationLine(name: string, n: number, stat: number): string {
  if (n === 2 && (stat === 1 || stat === 5)) return `${name}: ${n},${stat},"${CELL.lac}","${CELL.ci}",${CELL.act}`;
  return `${name}: ${n},${stat}`;
}

function setRegistrationUrc(key: 'creg' | 'cereg'): Handler {
  return (command, modem) => {
    const n = intArg(command, 0);
    if (!inRange(n, 0, 2)) return fail(cme(50));
    modem.settings[key] = n;
    return OK;
  };
}

const memList = (names: readonly StorageName[]): string => `(${names.map(q).join(',')})`;

function cpmsCounts(modem: ModemContext): string {
  return modem.settings.cpms.map((name) => `${modem.storage(name).used},${modem.storage(name).capacity}`).join(',');
}

/** TS 27.005 <stat> filters of AT+CMGL: numbers in PDU mode, words in text mode; 4 / "ALL" is every message. */
const TEXT_STAT: Readonly<Record<string, MessageStat | 4>> = { 'REC UNREAD': 0, 'REC READ': 1, 'STO UNSENT': 2, 'STO SENT': 3, ALL: 4 };

function listingHeader(modem: ModemContext, message: StoredMessage, command: '+CMGL' | '+CMGR'): string {
  const index = command === '+CMGL' ? `${message.index},` : '';
  if (modem.settings.cmgf === 0) return `${command}: ${index}${message.stat},,${message.tpduLength}`;
  if (message.kind === 'status-report' && message.report !== undefined) {
    const r = message.report;
    return `${command}: ${index}${q(STAT_TEXT[message.stat])},${r.firstOctet},${r.mr},${q(message.address)},145,${q(message.timestamp)},${q(r.dischargeTime)},${r.status}`;
  }
  return `${command}: ${index}${q(STAT_TEXT[message.stat])},${q(message.address)},,${q(message.timestamp)}`;
}

function body(modem: ModemContext, message: StoredMessage): string[] {
  if (modem.settings.cmgf === 0) return [message.pdu];
  return message.kind === 'status-report' ? [] : [textForCharset(modem, message.text)];
}

/** Text mode data in the TE character set: UCS2 is hex of UTF-16BE. */
export function textForCharset(modem: ModemContext, text: string): string {
  if (modem.settings.cscs !== 'UCS2') return text;
  let hex = '';
  for (let i = 0; i < text.length; i += 1) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return hex;
}

function markRead(message: StoredMessage): void {
  if (message.stat === 0) message.stat = 1;
}

const cmgl: Handler = (command, modem) => {
  let filter: MessageStat | 4;
  if (modem.settings.cmgf === 0) {
    const value = command.form === 'exec' ? 0 : intArg(command, 0);
    if (!inRange(value, 0, 4)) return fail(cms(304));
    filter = value as MessageStat | 4;
  } else {
    const value = command.form === 'exec' ? 'REC UNREAD' : (command.args[0] ?? '').toUpperCase();
    const stat = TEXT_STAT[value];
    if (stat === undefined) return fail(cms(305));
    filter = stat;
  }
  const lines: string[] = [];
  for (const message of modem.storage(modem.settings.cpms[0]).list()) {
    if (filter !== 4 && message.stat !== filter) continue;
    lines.push(listingHeader(modem, message, '+CMGL'), ...body(modem, message));
    markRead(message);
  }
  return ok(...lines);
};

const cmgr: Handler = (command, modem) => {
  const index = intArg(command, 0);
  const storage = modem.storage(modem.settings.cpms[0]);
  if (index === undefined || !storage.inRange(index)) return fail(cms(321));
  const message = storage.get(index);
  if (message === undefined) return fail(cms(321));
  const lines = [listingHeader(modem, message, '+CMGR'), ...body(modem, message)];
  markRead(message);
  return ok(...lines);
};

/** AT+CMGD <delflag>: 1 read, 2 read and sent, 3 read, sent and unsent, 4 all. */
const DELETE_FLAGS: Readonly<Record<number, readonly MessageStat[]>> = { 1: [1], 2: [1, 3], 3: [1, 2, 3], 4: [0, 1, 2, 3] };

const cmgd: Handler = (command, modem) => {
  const storage = modem.storage(modem.settings.cpms[0]);
  const flag = command.args[1] === undefined || command.args[1] === '' ? 0 : intArg(command, 1);
  if (!inRange(flag, 0, 4)) return fail(cms(304));
  if (flag > 0) {
    const stats = DELETE_FLAGS[flag] as readonly MessageStat[];
    for (const message of storage.list()) if (stats.includes(message.stat)) storage.delete(message.index);
    return OK;
  }
  const index = intArg(command, 0);
  if (index === undefined || !storage.inRange(index)) return fail(cms(321));
  storage.delete(index);
  return OK;
};

const cpmsSet: Handler = (command, modem) => {
  const names = command.args.map((arg) => arg.toUpperCase());
  if (names.length === 0 || names.length > 3) return fail(cms(302));
  const next = [...modem.settings.cpms] as [StorageName, StorageName, StorageName];
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i] as string;
    if (name === '') continue;
    const allowed: readonly string[] = i === 0 ? STORAGE_NAMES : ['SM', 'ME'];
    if (!allowed.includes(name)) return fail(cms(302));
    next[i] = name as StorageName;
  }
  modem.settings.cpms = next;
  return ok(`+CPMS: ${cpmsCounts(modem)}`);
};

const cnmiSet: Handler = (command, modem) => {
  const limits = [3, 3, 3, 2, 1];
  const next = [...modem.settings.cnmi] as [number, number, number, number, number];
  for (let i = 0; i < command.args.length; i += 1) {
    if (command.args[i] === '') continue;
    const value = intArg(command, i);
    const max = limits[i];
    if (max === undefined || !inRange(value, 0, max)) return fail(cms(303));
    next[i] = value;
  }
  modem.settings.cnmi = next;
  modem.cnmiChanged();
  return OK;
};

const cmgs: Handler = (command, modem) => {
  if (modem.settings.cmgf === 0) {
    const length = intArg(command, 0);
    if (!inRange(length, 7, 176)) return fail(cms(304));
    return { kind: 'input', textMode: false, complete: (data) => modem.submitPdu(length, data) };
  }
  const to = command.args[0] ?? '';
  if (!command.quoted[0] || !/^\+?[0-9*#]{1,20}$/.test(to)) return fail(cms(305));
  return { kind: 'input', textMode: true, complete: (data) => modem.submitText(to, data) };
};

function cpin(command: AtCommand, modem: ModemContext): Outcome {
  if (modem.sim.status === 'absent') return fail(cme(10));
  if (modem.sim.status === 'failure') return fail(cme(13));
  const code = command.args[0] ?? '';
  if (!/^\d{4,8}$/.test(code)) return fail(cme(16));
  switch (modem.sim.enter(code, command.args[1])) {
    case 'ok':
      return OK;
    case 'wrong':
      return fail(cme(16));
    case 'bad-format':
      return fail(cme(50));
    case 'not-allowed':
      return fail(cme(3));
  }
}

const CPIN_TEXT = { ready: 'READY', pin: 'SIM PIN', puk: 'SIM PUK' } as const;

const cpinRead: Handler = (_command, modem) => {
  const status = modem.sim.status;
  if (status === 'absent') return fail(cme(10));
  if (status === 'failure') return fail(cme(13));
  return ok(`+CPIN: ${CPIN_TEXT[status]}`);
};

const iccid = (format: (iccid: string) => string): Handler => (_command, modem) => {
  const failure = simFailure(modem, true);
  return failure === undefined ? ok(format(modem.identity.iccid)) : fail(failure);
};

const cfunSet: Handler = (command, modem) => {
  const fun = intArg(command, 0);
  if (fun !== 0 && fun !== 1 && fun !== 4) return fail(cme(50));
  const reset = intArg(command, 1);
  if (reset === 1) modem.resetSettings();
  modem.settings.cfun = fun;
  return OK;
};

function csmpSet(command: AtCommand, modem: ModemContext): Outcome {
  const keys = ['fo', 'vp', 'pid', 'dcs'] as const;
  const next = { ...modem.settings.csmp };
  for (let i = 0; i < keys.length && i < command.args.length; i += 1) {
    if (command.args[i] === '') continue;
    const value = intArg(command, i);
    if (!inRange(value, 0, 255)) return fail(cms(305));
    next[keys[i] as (typeof keys)[number]] = value;
  }
  modem.settings.csmp = next;
  return OK;
}

const identityCommands: Record<string, CommandSpec> = {
  '+CMEE': {
    read: (_c, m) => ok(`+CMEE: ${m.settings.cmee}`),
    set: (c, m) => {
      const mode = intArg(c, 0);
      if (!inRange(mode, 0, 2)) return fail(cme(50));
      m.settings.cmee = mode;
      return OK;
    },
    test: constant(() => ['+CMEE: (0-2)']),
  },
  '+CGMI': { exec: constant((m) => [m.identity.manufacturer]), test: constant(() => []) },
  '+CGMM': { exec: constant((m) => [m.identity.model]), test: constant(() => []) },
  '+CGMR': { exec: constant((m) => [m.identity.revision]), test: constant(() => []) },
  '+CGSN': { exec: constant((m) => [m.identity.imei]), test: constant(() => []) },
  '+GMI': { exec: constant((m) => [m.identity.manufacturer]) },
  '+GMM': { exec: constant((m) => [m.identity.model]) },
  '+GMR': { exec: constant((m) => [m.identity.revision]) },
  '+GSN': { exec: constant((m) => [m.identity.imei]) },
  '+GCAP': { exec: constant(() => ['+GCAP: +CGSM,+DS,+ES']) },
  '+CIMI': {
    exec: (_c, m) => {
      const failure = simFailure(m);
      return failure === undefined ? ok(m.identity.imsi) : fail(failure);
    },
    test: constant(() => []),
  },
  '+CPIN': { read: cpinRead, set: cpin, test: constant(() => []) },
  '+CNUM': { exec: (_c, m) => (simFailure(m) === undefined ? OK : fail(simFailure(m) as AtFailure)) },
};

const networkCommands: Record<string, CommandSpec> = {
  '+CREG': {
    read: (_c, m) => ok(registrationLine('+CREG', m.settings.creg, m.registrationStat())),
    set: setRegistrationUrc('creg'),
    test: constant(() => ['+CREG: (0-2)']),
  },
  '+CGREG': {
    read: (_c, m) => ok(registrationLine('+CGREG', 0, m.registrationStat())),
    set: (c) => (inRange(intArg(c, 0), 0, 2) ? OK : fail(cme(50))),
    test: constant(() => ['+CGREG: (0-2)']),
  },
  '+COPS': {
    read: (_c, m) => {
      const stat = m.registrationStat();
      if (stat !== 1 && stat !== 5) return ok('+COPS: 0');
      return ok(`+COPS: 0,${m.settings.copsFormat},${copsName(m)},${CELL.act}`);
    },
    set: (c, m) => {
      const mode = intArg(c, 0);
      if (!inRange(mode, 0, 4)) return fail(cme(50));
      if (mode === 3) {
        const format = intArg(c, 1);
        if (!inRange(format, 0, 2)) return fail(cme(50));
        m.settings.copsFormat = format as 0 | 1 | 2;
      }
      return OK;
    },
    test: (_c, m) => {
      const { carrier } = m.identity;
      return ok(`+COPS: (2,${q(carrier.longName)},${q(carrier.shortName)},${q(carrier.plmn)},${CELL.act}),,(0-4),(0-2)`);
    },
  },
  '+CSQ': {
    exec: (_c, m) => {
      const { rssi, ber } = m.signal();
      return ok(`+CSQ: ${rssi},${ber}`);
    },
    test: constant(() => ['+CSQ: (0-31,99),(0-7,99)']),
  },
  '+CFUN': { read: (_c, m) => ok(`+CFUN: ${m.settings.cfun}`), set: cfunSet, test: constant(() => ['+CFUN: (0,1,4),(0-1)']) },
};

const smsCommands: Record<string, CommandSpec> = {
  '+CMGF': {
    read: (_c, m) => ok(`+CMGF: ${m.settings.cmgf}`),
    set: (c, m) => {
      const mode = intArg(c, 0);
      if (mode !== 0 && mode !== 1) return fail(cms(303));
      m.settings.cmgf = mode;
      return OK;
    },
    test: constant(() => ['+CMGF: (0,1)']),
  },
  '+CSCS': {
    read: (_c, m) => ok(`+CSCS: ${q(m.settings.cscs)}`),
    set: (c, m) => {
      const charset = (c.args[0] ?? '').toUpperCase();
      if (charset !== 'GSM' && charset !== 'IRA' && charset !== 'UCS2') return fail(cme(4));
      m.settings.cscs = charset;
      return OK;
    },
    test: constant(() => ['+CSCS: ("GSM","IRA","UCS2")']),
  },
  '+CSMS': {
    read: constant(() => ['+CSMS: 0,1,1,1']),
    set: (c) => (intArg(c, 0) === 0 ? ok('+CSMS: 1,1,1') : fail(cms(303))),
    test: constant(() => ['+CSMS: (0)']),
  },
  '+CNMI': {
    read: (_c, m) => ok(`+CNMI: ${m.settings.cnmi.join(',')}`),
    set: cnmiSet,
    test: constant(() => ['+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)']),
  },
  '+CPMS': {
    read: withSms((_c, m) => ok(`+CPMS: ${m.settings.cpms.map((n) => `${q(n)},${m.storage(n).used},${m.storage(n).capacity}`).join(',')}`)),
    set: withSms(cpmsSet),
    test: constant(() => [`+CPMS: ${memList(STORAGE_NAMES)},${memList(['SM', 'ME'])},${memList(['SM', 'ME'])}`]),
  },
  '+CSCA': {
    read: withSms((_c, m) => ok(`+CSCA: ${q(m.smsc)},${m.smsc.startsWith('+') ? 145 : 129}`)),
    set: withSms((c, m) => {
      const address = c.args[0] ?? '';
      if (!/^\+?\d{3,20}$/.test(address)) return fail(cms(304));
      m.smsc = address;
      return OK;
    }),
    test: constant(() => []),
  },
  '+CSMP': {
    read: (_c, m) => ok(`+CSMP: ${m.settings.csmp.fo},${m.settings.csmp.vp},${m.settings.csmp.pid},${m.settings.csmp.dcs}`),
    set: csmpSet,
    test: constant(() => []),
  },
  '+CSDH': {
    read: (_c, m) => ok(`+CSDH: ${m.settings.csdh}`),
    set: (c, m) => {
      const show = intArg(c, 0);
      if (!inRange(show, 0, 1)) return fail(cms(303));
      m.settings.csdh = show;
      return OK;
    },
    test: constant(() => ['+CSDH: (0,1)']),
  },
  '+CMGS': { set: withSms(cmgs), test: constant(() => []) },
  '+CMGL': {
    exec: withSms(cmgl),
    set: withSms(cmgl),
    test: (_c, m) => ok(m.settings.cmgf === 0 ? '+CMGL: (0-4)' : '+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")'),
  },
  '+CMGR': { set: withSms(cmgr), test: constant(() => []) },
  '+CMGD': {
    set: withSms(cmgd),
    test: withSms((_c, m) => {
      const indices = m.storage(m.settings.cpms[0]).list().map((message) => message.index);
      return ok(`+CMGD: (${indices.join(',')}),(0-4)`);
    }),
  },
};

const basicCommands: Record<string, CommandSpec> = {
  E: {
    exec: (c, m) => {
      const value = c.args[0] === '' ? 0 : Number(c.args[0]);
      if (value !== 0 && value !== 1) return fail(PLAIN_ERROR);
      m.settings.echo = value === 1;
      return OK;
    },
  },
  V: { exec: (c) => (c.args[0] === '1' ? OK : fail(PLAIN_ERROR)) },
  Q: { exec: (c) => (c.args[0] === '' || c.args[0] === '0' ? OK : fail(PLAIN_ERROR)) },
  I: { exec: (c, m) => (c.args[0] === '' || c.args[0] === '0' ? ok(...ati(m)) : c.args[0] === '3' ? ok(m.identity.revision) : fail(PLAIN_ERROR)) },
  Z: { exec: (_c, m) => (m.resetSettings(), OK) },
  '&F': { exec: (_c, m) => (m.resetSettings(), OK) },
  '&C': { exec: () => OK },
  '&D': { exec: () => OK },
  '&K': { exec: () => OK },
  '&W': { exec: () => OK },
  S: { exec: () => OK, set: () => OK, read: () => ok('000') },
  X: { exec: () => OK },
  L: { exec: () => OK },
  M: { exec: () => OK },
};

const CEREG: CommandSpec = {
  read: (_c, m) => ok(registrationLine('+CEREG', m.settings.cereg, m.registrationStat())),
  set: setRegistrationUrc('cereg'),
  test: constant(() => ['+CEREG: (0-2)']),
};

/** The command table for a modem: the common set plus the profile's ICCID command(s) and AT+CEREG on LTE models. */
export function commandTable(modem: Pick<ModemContext, 'profile'>): ReadonlyMap<string, CommandSpec> {
  const table = new Map<string, CommandSpec>(Object.entries({ ...basicCommands, ...identityCommands, ...networkCommands, ...smsCommands }));
  for (const [name, format] of Object.entries(modem.profile.iccidCommands)) {
    table.set(name, { exec: iccid(format), read: iccid(format), test: constant(() => []) });
  }
  if (modem.profile.supportsCereg) table.set('+CEREG', CEREG);
  for (const name of modem.profile.vendorCommands) {
    table.set(name, { exec: () => OK, set: () => OK, read: () => ok(`${name}: 0`), test: constant(() => []) });
  }
  return table;
}

/** Runs one command: unknown ones answer plain ERROR, a form the command lacks +CME ERROR: 4. */
export function runCommand(table: ReadonlyMap<string, CommandSpec>, command: AtCommand, modem: ModemContext): Outcome {
  const spec = table.get(command.name);
  if (spec === undefined) return fail(PLAIN_ERROR);
  const handler = spec[command.form];
  if (handler === undefined) return fail(/^[A-Z&]/.test(command.name) ? PLAIN_ERROR : cme(4));
  return handler(command, modem);
}
