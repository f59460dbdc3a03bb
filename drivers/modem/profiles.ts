/**
 * Modem quirks as data. A profile is picked by the manufacturer and model the modem reports (AT+CGMI,
 * AT+CGMM); the first match wins and `generic` matches everything. The configuration can name a profile and
 * override single fields.
 */
export interface ModemProfile {
  readonly name: string;
  /** Case-insensitive substrings of AT+CGMI / AT+CGMM; absent means any. */
  readonly manufacturer?: readonly string[];
  readonly model?: readonly string[];
  /** Extra commands after ATE0 / AT+CMEE=1 (silence vendor URCs, select character set, ...). */
  readonly init: readonly string[];
  /** How this modem tells the ICCID; null when it cannot. */
  readonly iccidCommand: string | null;
  /**
   * New-message indications (3GPP TS 27.005 clause 3.4.1): mode 2, mt=1 stores deliveries and sends +CMTI (we
   * delete only after the message is safely handed on), ds=1 sends status reports directly as +CDS.
   */
  readonly cnmi: string;
  /** Message storage for reading, writing and receiving (AT+CPMS). */
  readonly storage: readonly [string, string, string];
  /** Pause after every command, for modems that drop commands sent back to back. */
  readonly commandDelayMs: number;
  /** Phase 2+ (AT+CSMS=1): +CMT / +CDS must be acknowledged with AT+CNMA. */
  readonly ackDirect: boolean;
  /** The soft reset for a hung modem. */
  readonly softReset: string;
  /** Whether to ask AT+CEREG? (LTE registration) beside AT+CREG?. */
  readonly eps: boolean;
}

export const GENERIC_PROFILE: ModemProfile = {
  name: 'generic',
  init: [],
  iccidCommand: 'AT+CCID',
  cnmi: 'AT+CNMI=2,1,0,1,0',
  storage: ['SM', 'SM', 'SM'],
  commandDelayMs: 0,
  ackDirect: false,
  softReset: 'AT+CFUN=1,1',
  eps: true,
};

export const PROFILES: readonly ModemProfile[] = [
  {
    ...GENERIC_PROFILE,
    name: 'huawei',
    manufacturer: ['huawei'],
    // ^CURC=0 silences the periodic ^RSSI / ^MODE / ^BOOT reports that otherwise interleave with every reply.
    init: ['AT^CURC=0'],
    iccidCommand: 'AT^ICCID?',
    storage: ['ME', 'ME', 'ME'],
  },
  {
    ...GENERIC_PROFILE,
    name: 'quectel',
    manufacturer: ['quectel'],
    iccidCommand: 'AT+QCCID',
    storage: ['ME', 'ME', 'ME'],
  },
  {
    ...GENERIC_PROFILE,
    name: 'simcom',
    manufacturer: ['simcom'],
    // SIM800-class modems lose commands sent within a few milliseconds of the previous final result.
    commandDelayMs: 50,
    eps: false,
  },
  {
    ...GENERIC_PROFILE,
    name: 'sierra',
    manufacturer: ['sierra'],
    iccidCommand: 'AT!ICCID?',
  },
  GENERIC_PROFILE,
];

export function profileByName(name: string): ModemProfile | undefined {
  return PROFILES.find((p) => p.name === name);
}

export function selectProfile(manufacturer: string, model: string): ModemProfile {
  const has = (value: string, needles: readonly string[] | undefined): boolean =>
    needles === undefined || needles.some((n) => value.toLowerCase().includes(n.toLowerCase()));
  return PROFILES.find((p) => has(manufacturer, p.manufacturer) && has(model, p.model)) ?? GENERIC_PROFILE;
}
