/**
 * How the virtual modem behaves, as data: one named scenario per failure mode (jasmin's SMSC simulator style),
 * each a set of overrides on the happy defaults, changeable at run time.
 */
import { modemSimError } from './errors.ts';

/** AT+CREG <stat>: 0 not registered, 1 home, 2 searching, 3 denied, 5 roaming. */
export type Registration = 'not-registered' | 'home' | 'searching' | 'denied' | 'roaming';
export const REGISTRATION_STAT: Readonly<Record<Registration, number>> = {
  'not-registered': 0,
  home: 1,
  searching: 2,
  denied: 3,
  roaming: 5,
};

/** The SIM as the modem finds it at power-on: `pin` asks for the PIN, `puk` is blocked. */
export type SimCondition = 'ready' | 'pin' | 'puk' | 'absent';

export type StatusReportOutcome = 'delivered' | 'failed' | 'expired' | 'none';

export interface ModemBehaviour {
  readonly sim: SimCondition;
  readonly pin: string;
  readonly puk: string;
  readonly registration: Registration;
  /** AT+CSQ: rssi 0-31 (99 unknown), ber 0-7 (99 unknown). */
  readonly signal: { readonly rssi: number; readonly ber: number };
  /**
   * After power-on the modem searches (AT+CREG stat 2) for this long before it registers; messages and reports the
   * network holds arrive only once it is registered. 0: registered at once.
   */
  readonly attachDelayMs: number;
  /**
   * A hung modem: it neither echoes nor answers (not even what it was about to answer, nor the `> ` prompt) and
   * holds its unsolicited codes, until a soft reset (`ATZ` or `AT+CFUN=1,1`) brings it back, which answers OK and
   * clears this flag.
   */
  readonly hung: boolean;
  /** A wedged modem: a soft reset does not bring it back either; only clearing `hung` does (control API). */
  readonly hangSurvivesReset: boolean;
  /**
   * Hangs in the middle of a send: the N-th PDU from now (1: the next) goes out to the network, but its
   * `+CMGS` never comes and the modem is `hung` from then on. Counts down as PDUs go out; null: never.
   */
  readonly hangOnSubmit: number | null;
  /** Delay before every final result code. */
  readonly responseDelayMs: number;
  /** Every N-th AT+CMGS fails with the next code of `codes` (cycling); null: never. */
  readonly sendFailure: { readonly every: number; readonly codes: readonly number[] } | null;
  /** Status reports for parts sent with TP-SRR: after `delayMs`, `status` (TP-ST) overrides the outcome's default. */
  readonly statusReport: { readonly delayMs: number; readonly outcome: StatusReportOutcome; readonly status?: number };
  /** Random bytes on the line at random moments, about every `meanIntervalMs`; null: never. */
  readonly garbage: { readonly meanIntervalMs: number; readonly maxBytes: number } | null;
  /** The device disappears for `downMs` after being present for `upMs`, again and again; null: never. */
  readonly flapping: { readonly upMs: number; readonly downMs: number } | null;
  /**
   * `cnmi`: unsolicited result codes follow AT+CNMI <mode> (mode 2 holds them while a command runs);
   * `interleave`: they go out at once, even between a command and its result or during a `> ` prompt.
   */
  readonly urcTiming: 'cnmi' | 'interleave';
}

export const HAPPY_BEHAVIOUR: ModemBehaviour = {
  sim: 'ready',
  pin: '1234',
  puk: '12345678',
  registration: 'home',
  signal: { rssi: 22, ber: 99 },
  attachDelayMs: 0,
  hung: false,
  hangSurvivesReset: false,
  hangOnSubmit: null,
  responseDelayMs: 0,
  sendFailure: null,
  statusReport: { delayMs: 200, outcome: 'delivered' },
  garbage: null,
  flapping: null,
  urcTiming: 'cnmi',
};

export type BehaviourPatch = { -readonly [K in keyof ModemBehaviour]?: ModemBehaviour[K] };

export const SCENARIOS = {
  happy: {},
  'sim-not-inserted': { sim: 'absent' },
  'pin-required': { sim: 'pin' },
  'puk-required': { sim: 'puk' },
  'no-network': { registration: 'not-registered', signal: { rssi: 99, ber: 99 } },
  'registration-denied': { registration: 'denied' },
  searching: { registration: 'searching' },
  roaming: { registration: 'roaming' },
  'weak-signal': { signal: { rssi: 3, ber: 7 } },
  slow: { responseDelayMs: 1500 },
  'send-errors': { sendFailure: { every: 3, codes: [38, 42, 500] } },
  'delivery-failed': { statusReport: { delayMs: 200, outcome: 'failed' } },
  'no-status-reports': { statusReport: { delayMs: 0, outcome: 'none' } },
  garbage: { garbage: { meanIntervalMs: 700, maxBytes: 12 } },
  flapping: { flapping: { upMs: 5000, downMs: 1500 }, attachDelayMs: 500 },
  'slow-attach': { attachDelayMs: 3000 },
  hung: { hung: true },
  wedged: { hung: true, hangSurvivesReset: true },
  'hang-mid-send': { hangOnSubmit: 1 },
  'urc-interleaved': { urcTiming: 'interleave' },
} as const satisfies Readonly<Record<string, BehaviourPatch>>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function scenarioBehaviour(name: string): ModemBehaviour {
  if (!Object.hasOwn(SCENARIOS, name)) {
    throw modemSimError('MODEMSIM_UNKNOWN_SCENARIO', `${JSON.stringify(name)}; known: ${SCENARIO_NAMES.join(', ')}`, {
      field: 'scenario',
      value: name,
    });
  }
  return applyBehaviour(HAPPY_BEHAVIOUR, SCENARIOS[name as ScenarioName]);
}

/** Checks a patch field by field, so a typo in a config file or a control request is refused by name. */
export function applyBehaviour(base: ModemBehaviour, patch: BehaviourPatch): ModemBehaviour {
  const next = { ...base, ...patch };
  const bad = (field: string, value: unknown, why: string): never => {
    throw modemSimError('MODEMSIM_INVALID_OPTION', `behaviour.${field}: ${why}`, { field: `behaviour.${field}`, value });
  };
  for (const key of Object.keys(patch)) {
    if (!Object.hasOwn(HAPPY_BEHAVIOUR, key)) bad(key, (patch as Record<string, unknown>)[key], 'unknown field');
  }
  if (!['ready', 'pin', 'puk', 'absent'].includes(next.sim)) bad('sim', next.sim, 'ready, pin, puk or absent');
  if (!/^\d{4,8}$/.test(next.pin)) bad('pin', next.pin, '4 to 8 digits');
  if (!/^\d{8}$/.test(next.puk)) bad('puk', next.puk, '8 digits');
  if (!Object.hasOwn(REGISTRATION_STAT, next.registration)) bad('registration', next.registration, Object.keys(REGISTRATION_STAT).join(', '));
  const { rssi, ber } = next.signal ?? {};
  if (!(isIntIn(rssi, 0, 31) || rssi === 99) || !(isIntIn(ber, 0, 7) || ber === 99)) bad('signal', next.signal, 'rssi 0-31 or 99, ber 0-7 or 99');
  if (!isIntIn(next.responseDelayMs, 0, 60_000)) bad('responseDelayMs', next.responseDelayMs, '0-60000');
  if (typeof next.hung !== 'boolean') bad('hung', next.hung, 'true or false');
  if (typeof next.hangSurvivesReset !== 'boolean') bad('hangSurvivesReset', next.hangSurvivesReset, 'true or false');
  if (next.hangOnSubmit !== null && !isIntIn(next.hangOnSubmit, 1, 1_000_000)) bad('hangOnSubmit', next.hangOnSubmit, 'null or a count >= 1');
  if (!isIntIn(next.attachDelayMs, 0, 600_000)) bad('attachDelayMs', next.attachDelayMs, '0-600000');
  if (next.sendFailure !== null) {
    const { every, codes } = next.sendFailure ?? {};
    if (!isIntIn(every, 1, 1_000_000) || !Array.isArray(codes) || codes.length === 0 || !codes.every((c) => isIntIn(c, 0, 511))) {
      bad('sendFailure', next.sendFailure, 'null or { every: N >= 1, codes: [+CMS ERROR numbers] }');
    }
  }
  const report = next.statusReport;
  if (
    report === undefined ||
    !isIntIn(report.delayMs, 0, 3_600_000) ||
    !['delivered', 'failed', 'expired', 'none'].includes(report.outcome) ||
    (report.status !== undefined && !isIntIn(report.status, 0, 255))
  ) {
    bad('statusReport', report, '{ delayMs, outcome: delivered|failed|expired|none, status?: TP-ST 0-255 }');
  }
  if (next.garbage !== null && (!isIntIn(next.garbage?.meanIntervalMs, 10, 3_600_000) || !isIntIn(next.garbage?.maxBytes, 1, 256))) {
    bad('garbage', next.garbage, 'null or { meanIntervalMs >= 10, maxBytes 1-256 }');
  }
  if (next.flapping !== null && (!isIntIn(next.flapping?.upMs, 50, 86_400_000) || !isIntIn(next.flapping?.downMs, 50, 86_400_000))) {
    bad('flapping', next.flapping, 'null or { upMs >= 50, downMs >= 50 }');
  }
  if (next.urcTiming !== 'cnmi' && next.urcTiming !== 'interleave') bad('urcTiming', next.urcTiming, 'cnmi or interleave');
  return next;
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
