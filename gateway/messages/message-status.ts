/**
 * One status model for every transport (see the architecture notes):
 *   message: accepted -> queued -> (scheduled) -> sending -> submitted -> delivered | undelivered | expired |
 *            failed | rejected | canceled
 *   part:    pending -> submitted -> delivered | undelivered | expired | failed   (or unknown: sent, no answer)
 * Roll-up: delivered when every part is; undelivered / expired / failed as soon as one part is, and final.
 */
import type { ReceiptState } from '../../drivers/codec/index.ts';

export const MESSAGE_STATUSES = [
  'accepted',
  'queued',
  'scheduled',
  'sending',
  'submitted',
  'delivered',
  'undelivered',
  'expired',
  'failed',
  'rejected',
  'canceled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const PART_STATUSES = ['pending', 'submitted', 'delivered', 'undelivered', 'expired', 'failed', 'unknown'] as const;
export type PartStatus = (typeof PART_STATUSES)[number];

const FINAL_MESSAGE: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undelivered',
  'expired',
  'failed',
  'rejected',
  'canceled',
]);
const FINAL_PART: ReadonlySet<PartStatus> = new Set(['delivered', 'undelivered', 'expired', 'failed']);

export function isFinalMessageStatus(status: MessageStatus): boolean {
  return FINAL_MESSAGE.has(status);
}

export function isFinalPartStatus(status: PartStatus): boolean {
  return FINAL_PART.has(status);
}

/** The part status a final carrier receipt state stands for; intermediate states leave the part submitted. */
export function partStatusForReceipt(state: ReceiptState, final: boolean): PartStatus {
  if (!final) return 'submitted';
  switch (state) {
    case 'delivered':
      return 'delivered';
    case 'expired':
      return 'expired';
    case 'undeliverable':
    case 'deleted':
    case 'rejected':
      return 'undelivered';
    case 'unknown':
    case 'enroute':
    case 'accepted':
      // A final receipt saying "accepted" or "unknown" tells nothing of the handset: keep waiting is wrong too,
      // so the part stays submitted and the validity period decides.
      return 'submitted';
  }
}

/**
 * The message status its parts imply, or undefined while they imply nothing beyond "sending".
 * A failed, undelivered or expired part decides at once (in that precedence, whatever the part order);
 * delivered needs every part.
 */
export function rollUpParts(parts: readonly { readonly status: PartStatus }[]): MessageStatus | undefined {
  let failed = false;
  let undelivered = false;
  let expired = false;
  let delivered = 0;
  let pending = 0;
  for (const part of parts) {
    switch (part.status) {
      case 'failed':
        failed = true;
        break;
      case 'undelivered':
        undelivered = true;
        break;
      case 'expired':
        expired = true;
        break;
      case 'delivered':
        delivered += 1;
        break;
      case 'pending':
        pending += 1;
        break;
      case 'submitted':
      case 'unknown':
        break;
    }
  }
  if (failed) return 'failed';
  if (undelivered) return 'undelivered';
  if (expired) return 'expired';
  if (parts.length === 0) return undefined;
  if (delivered === parts.length) return 'delivered';
  if (pending === 0) return 'submitted';
  return undefined;
}

/** One letter per part status: the Redis adapter keeps a message's part states as such a string. */
export const PART_STATUS_LETTER: Readonly<Record<PartStatus, string>> = {
  pending: 'P',
  submitted: 'S',
  delivered: 'D',
  undelivered: 'U',
  expired: 'X',
  failed: 'F',
  unknown: 'K',
};
