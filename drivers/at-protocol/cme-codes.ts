/**
 * 3GPP TS 27.007 clause 9.2, "Mobile termination error result code +CME ERROR: <err>" (numeric form, which
 * AT+CMEE=1 selects; AT+CMEE=2 prints the name). Only the general and GPRS-independent codes a messaging modem
 * gives are listed; anything else is looked up as "unknown" and treated as temporary.
 * `sim`: what the code says about the SIM, when it answers a SIM step (AT+CPIN); the driver judges it.
 */

/** A SIM problem a +CME ERROR names. */
export type SimProblem = 'not-inserted' | 'pin-required' | 'puk-required' | 'pin-wrong' | 'failure';

export interface CmeCode {
  readonly name: string;
  readonly retriable: boolean;
  readonly sim?: SimProblem;
}

export const CME_CODES: Readonly<Record<number, CmeCode>> = {
  0: { name: 'phone failure', retriable: true },
  1: { name: 'no connection to phone', retriable: true },
  2: { name: 'phone-adaptor link reserved', retriable: true },
  3: { name: 'operation not allowed', retriable: false },
  4: { name: 'operation not supported', retriable: false },
  5: { name: 'PH-SIM PIN required', retriable: false, sim: 'pin-required' },
  6: { name: 'PH-FSIM PIN required', retriable: false, sim: 'pin-required' },
  7: { name: 'PH-FSIM PUK required', retriable: false, sim: 'puk-required' },
  10: { name: 'SIM not inserted', retriable: false, sim: 'not-inserted' },
  11: { name: 'SIM PIN required', retriable: false, sim: 'pin-required' },
  12: { name: 'SIM PUK required', retriable: false, sim: 'puk-required' },
  13: { name: 'SIM failure', retriable: false, sim: 'failure' },
  14: { name: 'SIM busy', retriable: true },
  15: { name: 'SIM wrong', retriable: false, sim: 'failure' },
  16: { name: 'incorrect password', retriable: false, sim: 'pin-wrong' },
  17: { name: 'SIM PIN2 required', retriable: false },
  18: { name: 'SIM PUK2 required', retriable: false },
  20: { name: 'memory full', retriable: true },
  21: { name: 'invalid index', retriable: false },
  22: { name: 'not found', retriable: false },
  23: { name: 'memory failure', retriable: true },
  24: { name: 'text string too long', retriable: false },
  25: { name: 'invalid characters in text string', retriable: false },
  26: { name: 'dial string too long', retriable: false },
  27: { name: 'invalid characters in dial string', retriable: false },
  30: { name: 'no network service', retriable: true },
  31: { name: 'network timeout', retriable: true },
  32: { name: 'network not allowed - emergency calls only', retriable: true },
  40: { name: 'network personalization PIN required', retriable: false, sim: 'pin-required' },
  41: { name: 'network personalization PUK required', retriable: false, sim: 'puk-required' },
  50: { name: 'incorrect parameters', retriable: false },
  100: { name: 'unknown', retriable: true },
};

export function cmeCode(code: number): CmeCode {
  return CME_CODES[code] ?? { name: 'unknown cause', retriable: true };
}
