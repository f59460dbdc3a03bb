/**
 * Delivery states of SMPP 3.4 clause 5.2.28 (message_state), the one vocabulary receipts are normalized to,
 * whether they come as SMPP receipt text, a message_state TLV or a TPDU's TP-Status. The same names as the
 * transport's ReceiptState, declared here because the codec imports nothing above it.
 */
export const RECEIPT_STATES = ['enroute', 'delivered', 'expired', 'deleted', 'undeliverable', 'accepted', 'unknown', 'rejected'] as const;
export type ReceiptState = (typeof RECEIPT_STATES)[number];

/** SMPP 3.4 clause 5.2.28 message_state values. */
export const MESSAGE_STATE_TO_RECEIPT_STATE: Readonly<Record<number, ReceiptState>> = {
  1: 'enroute',
  2: 'delivered',
  3: 'expired',
  4: 'deleted',
  5: 'undeliverable',
  6: 'accepted',
  7: 'unknown',
  8: 'rejected',
};

/** SMPP 3.4 Appendix B `stat:` values (the 7-character forms). */
export const STAT_TO_RECEIPT_STATE: Readonly<Record<string, ReceiptState>> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'deleted',
  UNDELIV: 'undeliverable',
  ACCEPTD: 'accepted',
  UNKNOWN: 'unknown',
  REJECTD: 'rejected',
  ENROUTE: 'enroute',
};

/** Spellings carriers send instead of the Appendix B forms. */
export const STAT_ALIASES: Readonly<Record<string, ReceiptState>> = {
  DELIVERED: 'delivered',
  DELIVER: 'delivered',
  UNDELIVERED: 'undeliverable',
  UNDELIVERABLE: 'undeliverable',
  FAILED: 'undeliverable',
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
  EXPIRD: 'expired',
};

/** The Appendix B stat text of a state, for receipts the simulator writes. */
export const RECEIPT_STATE_TO_STAT: Readonly<Record<ReceiptState, string>> = {
  delivered: 'DELIVRD',
  expired: 'EXPIRED',
  deleted: 'DELETED',
  undeliverable: 'UNDELIV',
  accepted: 'ACCEPTD',
  unknown: 'UNKNOWN',
  rejected: 'REJECTD',
  enroute: 'ENROUTE',
};

/** True for states after which nothing more will be reported. */
export function isFinalState(state: ReceiptState): boolean {
  return state !== 'enroute' && state !== 'accepted';
}
