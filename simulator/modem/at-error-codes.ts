/**
 * Final result codes for errors: 3GPP TS 27.007 clause 9.2 (+CME ERROR) and TS 27.005 clause 3.2.5 (+CMS ERROR).
 * AT+CMEE selects the form: 0 plain `ERROR`, 1 the number, 2 the text below.
 */

/** Mobile equipment errors (TS 27.007 clause 9.2.1). */
export const CME_ERRORS: Readonly<Record<number, string>> = {
  0: 'phone failure',
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  20: 'memory full',
  21: 'invalid index',
  22: 'not found',
  23: 'memory failure',
  24: 'text string too long',
  25: 'invalid characters in text string',
  30: 'no network service',
  31: 'network timeout',
  32: 'network not allowed - emergency calls only',
  50: 'incorrect parameters',
  100: 'unknown',
};

/** Message service errors (TS 27.005 clause 3.2.5; 1-127 are the network's cause values of TS 24.011). */
export const CMS_ERRORS: Readonly<Record<number, string>> = {
  1: 'unassigned (unallocated) number',
  8: 'operator determined barring',
  10: 'call barred',
  21: 'short message transfer rejected',
  27: 'destination out of service',
  28: 'unidentified subscriber',
  29: 'facility rejected',
  30: 'unknown subscriber',
  38: 'network out of order',
  41: 'temporary failure',
  42: 'congestion',
  47: 'resources unavailable, unspecified',
  50: 'requested facility not subscribed',
  69: 'requested facility not implemented',
  81: 'invalid short message transfer reference value',
  95: 'invalid message, unspecified',
  96: 'invalid mandatory information',
  97: 'message type non-existent or not implemented',
  98: 'message not compatible with short message protocol state',
  99: 'information element non-existent or not implemented',
  111: 'protocol error, unspecified',
  127: 'interworking, unspecified',
  300: 'ME failure',
  301: 'SMS service of ME reserved',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  312: 'PH-SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  315: 'SIM wrong',
  316: 'SIM PUK required',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
};

/** What a command answers when it fails; rendered according to AT+CMEE. */
export type AtFailure =
  | { readonly kind: 'plain' }
  | { readonly kind: 'cme'; readonly code: number }
  | { readonly kind: 'cms'; readonly code: number };

export const PLAIN_ERROR: AtFailure = { kind: 'plain' };
export const cme = (code: number): AtFailure => ({ kind: 'cme', code });
export const cms = (code: number): AtFailure => ({ kind: 'cms', code });

/** The final result line for a failure under the current AT+CMEE setting. */
export function renderFailure(failure: AtFailure, cmee: number): string {
  if (failure.kind === 'plain' || cmee === 0) return 'ERROR';
  const table = failure.kind === 'cme' ? CME_ERRORS : CMS_ERRORS;
  const prefix = failure.kind === 'cme' ? '+CME ERROR' : '+CMS ERROR';
  if (cmee === 2) return `${prefix}: ${table[failure.code] ?? `unknown error ${failure.code}`}`;
  return `${prefix}: ${failure.code}`;
}
