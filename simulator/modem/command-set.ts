/**
 * The AT commands the virtual modem knows: V.250 basics, TS 27.007 (identity, SIM, network) and TS 27.005 (SMS,
 * in sms-commands.ts).
 * Each handler answers one command in one form; the engine frames lines and result codes, and ends a chain at
 * the first failure. A command not in the table answers plain ERROR, as V.250 asks for unknown commands.
 */
import { PLAIN_ERROR, cme, type AtCommand, type AtFailure } from '../../drivers/at-protocol/index.ts';
import { constant, inRange, intArg, OK, q, simFailure, type CommandSpec, type Handler } from './command-helpers.ts';
import { fail, ok, type ModemContext, type Outcome } from './modem-context.ts';
import { smsCommands } from './sms-commands.ts';

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
