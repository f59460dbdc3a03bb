/**
 * 3GPP TS 23.040 clause 9.2.3.15 TP-Status (TP-ST) of an SMS-STATUS-REPORT, mapped to the receipt states:
 *   0x00-0x1F  short message transaction completed
 *   0x20-0x3F  temporary error, SC still trying to transfer the SM
 *   0x40-0x5F  permanent error, SC is not making any more transfer attempts
 *   0x60-0x7F  temporary error, SC is not making any more transfer attempts
 *   0x80-0xFF  reserved: an SME shall interpret these as "service rejected" (0x63)
 * Values inside a group that the spec leaves reserved or SC-specific take the group's meaning.
 */
import type { ReceiptState } from './receipt-state.ts';

export type TpStatusCategory = 'completed' | 'temporary-trying' | 'permanent' | 'temporary-stopped';

export interface TpStatusMeaning {
  readonly value: number;
  readonly category: TpStatusCategory;
  readonly state: ReceiptState;
  /** False only while the SC is still trying (0x20-0x3F). */
  readonly final: boolean;
  readonly description: string;
}

/** The values TS 23.040 names; others fall back to their group. */
export const TP_STATUS_DESCRIPTIONS: Readonly<Record<number, string>> = {
  0x00: 'short message received by the SME',
  0x01: 'short message forwarded by the SC to the SME but the SC is unable to confirm delivery',
  0x02: 'short message replaced by the SC',
  0x20: 'congestion',
  0x21: 'SME busy',
  0x22: 'no response from SME',
  0x23: 'service rejected',
  0x24: 'quality of service not available',
  0x25: 'error in SME',
  0x40: 'remote procedure error',
  0x41: 'incompatible destination',
  0x42: 'connection rejected by SME',
  0x43: 'not obtainable',
  0x44: 'quality of service not available',
  0x45: 'no interworking available',
  0x46: 'SM validity period expired',
  0x47: 'SM deleted by originating SME',
  0x48: 'SM deleted by SC administration',
  0x49: 'SM does not exist',
  0x60: 'congestion',
  0x61: 'SME busy',
  0x62: 'no response from SME',
  0x63: 'service rejected',
  0x64: 'quality of service not available',
  0x65: 'error in SME',
};

/** Named values whose state differs from their group's. */
const STATE_EXCEPTIONS: Readonly<Record<number, ReceiptState>> = {
  0x01: 'unknown',
  0x02: 'deleted',
  0x46: 'expired',
  0x47: 'deleted',
  0x48: 'deleted',
  0x49: 'unknown',
};

export function tpStatusMeaning(value: number): TpStatusMeaning {
  const effective = value >= 0x80 ? 0x63 : value;
  let category: TpStatusCategory;
  let state: ReceiptState;
  if (effective < 0x20) {
    category = 'completed';
    state = 'delivered';
  } else if (effective < 0x40) {
    category = 'temporary-trying';
    state = 'enroute';
  } else if (effective < 0x60) {
    category = 'permanent';
    state = 'undeliverable';
  } else {
    category = 'temporary-stopped';
    state = 'undeliverable';
  }
  const named = TP_STATUS_DESCRIPTIONS[effective];
  const description =
    value >= 0x80 ? 'reserved value, treated as service rejected' : (named ?? `${category === 'completed' ? 'completed' : 'error'} (SC-specific or reserved 0x${value.toString(16).padStart(2, '0')})`);
  return { value, category, state: STATE_EXCEPTIONS[effective] ?? state, final: category !== 'temporary-trying', description };
}
