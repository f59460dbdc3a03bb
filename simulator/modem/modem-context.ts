/** What a command handler sees of the modem: settings it may change and the services it may call. */
import type { AtFailure } from '../../drivers/at-protocol/index.ts';
import type { ModemBehaviour } from './behaviour.ts';
import type { DeviceProfile } from './device-profiles.ts';
import type { ModemIdentity } from './identity.ts';
import type { SimCard } from './sim-card.ts';
import type { SmsStorage, StorageName } from './sms-storage.ts';

/** Settings that a power cycle resets (the SIM, storage and AT+CSCA survive it). */
export interface ModemSettings {
  echo: boolean;
  /** AT+CMEE: 0 plain ERROR, 1 numeric, 2 verbose. */
  cmee: number;
  /** AT+CMGF: 0 PDU mode, 1 text mode. */
  cmgf: 0 | 1;
  cscs: 'GSM' | 'IRA' | 'UCS2';
  /** AT+CNMI <mode>,<mt>,<bm>,<ds>,<bfr>. */
  cnmi: [number, number, number, number, number];
  /** AT+CPMS <mem1> (read, list, delete), <mem2> (write, send), <mem3> (received messages). */
  cpms: [StorageName, StorageName, StorageName];
  creg: number;
  cereg: number;
  copsFormat: 0 | 1 | 2;
  cfun: number;
  /** AT+CSMP for text mode: first octet (0x20 = status report request), validity, PID, DCS. */
  csmp: { fo: number; vp: number; pid: number; dcs: number };
  csdh: number;
}

export type Outcome =
  | { readonly kind: 'ok'; readonly lines: readonly string[] }
  | { readonly kind: 'error'; readonly failure: AtFailure }
  | { readonly kind: 'input'; readonly textMode: boolean; readonly complete: (data: string) => Outcome };

export const ok = (...lines: string[]): Outcome => ({ kind: 'ok', lines });
export const fail = (failure: AtFailure): Outcome => ({ kind: 'error', failure });

export interface ModemContext {
  readonly settings: ModemSettings;
  readonly identity: ModemIdentity;
  readonly profile: DeviceProfile;
  readonly sim: SimCard;
  readonly behaviour: ModemBehaviour;
  /** AT+CSCA, kept on the SIM. */
  smsc: string;
  storage(name: StorageName): SmsStorage;
  /** AT+CREG <stat> now (0 when the SIM is locked or the radio is off). */
  registrationStat(): number;
  /** AT+CSQ now (99,99 with the radio off). */
  signal(): { readonly rssi: number; readonly ber: number };
  /** AT+CMGS in PDU mode once the PDU has arrived. */
  submitPdu(length: number, hex: string): Outcome;
  /** AT+CMGS in text mode once the text has arrived. */
  submitText(to: string, text: string): Outcome;
  /** AT+CNMI changed: flush or drop what was held (bfr). */
  cnmiChanged(): void;
  /** ATZ / AT&F / AT+CFUN=1,1: back to power-on settings. */
  resetSettings(): void;
  now(): Date;
}

/** Settings after power-on or a reset (ATZ, AT&F, AT+CFUN=1,1). */
export function powerOnSettings(profile: DeviceProfile): ModemSettings {
  return {
    echo: true,
    cmee: 0,
    cmgf: 0,
    cscs: 'GSM',
    cnmi: [...profile.cnmiAtPowerOn],
    cpms: ['SM', 'SM', 'SM'],
    creg: 0,
    cereg: 0,
    copsFormat: 0,
    cfun: 1,
    csmp: { fo: 17, vp: 167, pid: 0, dcs: 0 },
    csdh: 0,
  };
}
