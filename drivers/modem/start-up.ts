/**
 * The start-up sequence of one modem over an open channel: wake, identity, SIM, registration, operator,
 * signal, SMS settings. It stops at the first thing that keeps the modem from sending and says why with a
 * MODEM_ code (SIM missing, PIN wrong, PUK needed, not registered, another modem than the one configured).
 * A PIN the SIM rejected is remembered by the caller (`pinRejected`) and never entered again.
 */
import type { AtChannel } from './at-channel.ts';
import { isModemError } from './is-modem-error.ts';
import { modemError, modemErrorWith } from './errors.ts';
import { GENERIC_PROFILE, profileByName, selectProfile, type ModemProfile } from './profiles.ts';
import {
  isRegistered,
  parseCops,
  parseCpin,
  parseCsca,
  parseCsq,
  parseRegistration,
  REGISTRATION_NAMES,
  singleValue,
} from '../at-protocol/index.ts';
import type { ModemQuirks } from './config.ts';

export interface StartUpOptions {
  readonly expectImei?: string;
  readonly expectIccid?: string;
  readonly pin?: string;
  /** True when the SIM already refused `pin` once: it is not entered again. */
  readonly pinRejected: boolean;
  readonly profile?: string;
  readonly quirks: ModemQuirks;
  readonly registrationWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

export interface ModemIdentity {
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly imei: string;
  readonly imsi: string | null;
  readonly iccid: string | null;
}

export interface StartUpResult {
  readonly identity: ModemIdentity;
  readonly profile: ModemProfile;
  readonly operator: string | null;
  readonly registration: number | null;
  readonly epsRegistration: number | null;
  readonly rssi: number | null;
  readonly dbm: number | null;
  readonly smsc: string | null;
  /** False when the modem refused AT+CNMI: new messages are then found by the periodic listing only. */
  readonly indications: boolean;
}

async function optional<T>(step: () => Promise<T>): Promise<T | null> {
  try {
    return await step();
  } catch (error) {
    // A missing optional feature (ERROR, +CME ERROR) is fine; a dead port or a hung modem is not.
    if (isModemError(error) && (error.code === 'MODEM_PORT_CLOSED' || error.code === 'MODEM_TIMEOUT')) throw error;
    return null;
  }
}

function mergeProfile(base: ModemProfile, quirks: ModemQuirks): ModemProfile {
  const defined = Object.fromEntries(Object.entries(quirks).filter(([, v]) => v !== undefined));
  return { ...base, ...defined };
}

export async function startUp(channel: AtChannel, options: StartUpOptions): Promise<StartUpResult> {
  // The first command after opening may meet a modem still booting or a half-typed line: one retry.
  try {
    await channel.run('AT');
  } catch (error) {
    if (isModemError(error) && error.code === 'MODEM_PORT_CLOSED') throw error;
    await channel.run('AT');
  }
  await channel.run('ATE0');
  // Numeric +CME ERROR codes; a modem that refuses still answers plain ERROR, which the driver also reads.
  await optional(() => channel.run('AT+CMEE=1'));
  const manufacturer = await optional(async () => singleValue(await channel.run('AT+CGMI')));
  const model = await optional(async () => singleValue(await channel.run('AT+CGMM')));
  const base = options.profile === undefined ? selectProfile(manufacturer ?? '', model ?? '') : (profileByName(options.profile) ?? GENERIC_PROFILE);
  const profile = mergeProfile(base, options.quirks);
  channel.setCommandDelay(profile.commandDelayMs);
  for (const command of profile.init) await optional(() => channel.run(command));

  const imei = singleValue(await channel.run('AT+CGSN'))?.replace(/"/g, '') ?? null;
  if (imei === null) throw modemError('MODEM_UNEXPECTED_REPLY', 'AT+CGSN gave no IMEI', { command: 'AT+CGSN' });
  if (options.expectImei !== undefined && imei !== options.expectImei) {
    throw modemError('MODEM_IDENTITY_MISMATCH', `IMEI ${imei}, expected ${options.expectImei}`, { field: 'imei', value: imei, expected: options.expectImei });
  }

  await unlockSim(channel, options);

  const imsi = await optional(async () => singleValue(await channel.run('AT+CIMI')));
  const iccidCommand = profile.iccidCommand;
  const iccid =
    iccidCommand === null ? null : ((await optional(async () => singleValue(await channel.run(iccidCommand))))?.replace(/"/g, '') ?? null);
  if (options.expectIccid !== undefined && iccid !== null && !iccid.toUpperCase().startsWith(options.expectIccid.toUpperCase())) {
    throw modemError('MODEM_IDENTITY_MISMATCH', `ICCID ${iccid}, expected ${options.expectIccid}`, { field: 'iccid', value: iccid, expected: options.expectIccid });
  }

  const { registration, epsRegistration } = await waitRegistered(channel, profile, options);
  await optional(() => channel.run('AT+COPS=3,0'));
  const operator = await optional(async () => parseCops(await channel.run('AT+COPS?')));
  const signal = (await optional(async () => parseCsq(await channel.run('AT+CSQ')))) ?? { rssi: null, dbm: null };
  const smsc = await optional(async () => parseCsca(await channel.run('AT+CSCA?')));
  await channel.run('AT+CMGF=0');
  const [read, write, receive] = profile.storage;
  await optional(() => channel.run(`AT+CPMS="${read}","${write}","${receive}"`));
  const indications = (await optional(() => channel.run(profile.cnmi))) !== null;
  return {
    identity: { manufacturer, model, imei, imsi, iccid },
    profile,
    operator,
    registration,
    epsRegistration,
    rssi: signal.rssi,
    dbm: signal.dbm,
    smsc,
    indications,
  };
}

async function simState(channel: AtChannel): Promise<ReturnType<typeof parseCpin>> {
  return parseCpin(await channel.run('AT+CPIN?'));
}

async function unlockSim(channel: AtChannel, options: StartUpOptions): Promise<void> {
  let sim = await simState(channel);
  if (sim.state === 'ready') return;
  if (sim.state === 'puk') throw modemError('MODEM_SIM_PUK_REQUIRED', undefined, { sim: sim.code });
  if (sim.state === 'other') throw modemError('MODEM_SIM_FAILURE', `AT+CPIN? answered ${sim.code || 'nothing'}`, { sim: sim.code });
  if (options.pin === undefined) throw modemError('MODEM_SIM_PIN_REQUIRED', undefined, { field: 'pin' });
  if (options.pinRejected) {
    throw modemErrorWith({ pinRejected: true }, 'MODEM_SIM_PIN_WRONG', 'the configured PIN was refused before', { field: 'pin' });
  }
  try {
    await channel.run(`AT+CPIN="${options.pin}"`);
  } catch (error) {
    if (!isModemError(error)) throw error;
    if (error.code === 'MODEM_SIM_PUK_REQUIRED') throw modemErrorWith({ pinRejected: true }, 'MODEM_SIM_PUK_REQUIRED', 'after the PIN was entered', { field: 'pin' });
    if (error.code === 'MODEM_PORT_CLOSED' || error.code === 'MODEM_TIMEOUT') throw error;
    throw modemErrorWith({ pinRejected: true }, 'MODEM_SIM_PIN_WRONG', error.message, { field: 'pin' }, { cause: error });
  }
  // The SIM may take a moment to become ready after the PIN.
  for (let attempt = 0; attempt < 10; attempt++) {
    sim = await simState(channel);
    if (sim.state === 'ready') return;
    if (sim.state === 'pin') throw modemErrorWith({ pinRejected: true }, 'MODEM_SIM_PIN_WRONG', 'the SIM still asks for the PIN', { field: 'pin' });
    if (sim.state === 'puk') throw modemErrorWith({ pinRejected: true }, 'MODEM_SIM_PUK_REQUIRED', 'after the PIN was entered', { field: 'pin' });
    await options.sleep(300);
  }
  throw modemError('MODEM_SIM_FAILURE', `the SIM did not become ready after the PIN (${sim.code})`, { sim: sim.code });
}

async function waitRegistered(
  channel: AtChannel,
  profile: ModemProfile,
  options: StartUpOptions,
): Promise<{ registration: number | null; epsRegistration: number | null }> {
  const started = options.now();
  for (;;) {
    const registration = await optional(async () => {
      const line = (await channel.run('AT+CREG?')).find((l) => l.text.toUpperCase().startsWith('+CREG'));
      return line === undefined ? null : parseRegistration(line.text, true);
    });
    const epsRegistration = profile.eps
      ? await optional(async () => {
          const line = (await channel.run('AT+CEREG?')).find((l) => l.text.toUpperCase().startsWith('+CEREG'));
          return line === undefined ? null : parseRegistration(line.text, true);
        })
      : null;
    if (isRegistered(registration) || isRegistered(epsRegistration)) return { registration, epsRegistration };
    const name = REGISTRATION_NAMES[registration ?? 4] ?? 'unknown';
    if (registration === 3 && (epsRegistration === null || epsRegistration === 3)) {
      throw modemError('MODEM_REGISTRATION_DENIED', name, { registration, epsRegistration });
    }
    if (options.now() - started >= options.registrationWaitMs) {
      throw modemError('MODEM_NOT_REGISTERED', name, { registration, epsRegistration });
    }
    await options.sleep(Math.min(1000, options.registrationWaitMs));
  }
}
