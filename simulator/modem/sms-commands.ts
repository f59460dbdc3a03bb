/**
 * The TS 27.005 SMS commands of the virtual modem: message format and character set, storage (AT+CPMS), new
 * message indications (AT+CNMI), listing, reading and deleting (AT+CMGL / +CMGR / +CMGD) and sending (AT+CMGS).
 */
import { cme, cms, type AtCommand } from '../../drivers/at-protocol/index.ts';
import { constant, inRange, intArg, OK, q, withSms, type CommandSpec, type Handler } from './command-helpers.ts';
import { fail, ok, type ModemContext, type Outcome } from './modem-context.ts';
import { STAT_TEXT, STORAGE_NAMES, type MessageStat, type StorageName, type StoredMessage } from './sms-storage.ts';

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


export const smsCommands: Record<string, CommandSpec> = {
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

