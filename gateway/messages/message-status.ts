/**
 * One status model for every transport (see the architecture notes and the README's state machine):
 *   message: accepted -> queued -> (scheduled) -> sending -> submitted -> delivered | undelivered | expired |
 *            failed | unknown | rejected | canceled
 *   part:    pending -> submitted -> delivered | undelivered | expired | failed | unknown; pending -> canceled
 * A part is `unknown` when it may or may not have reached the handset and nothing more will tell: the submit was
 * written but never answered (or answered without an id), the carrier's receipt said UNKNOWN, or no final
 * receipt came within the receipt timeout (and query_sm, where offered, did not know either). It is final: it is
 * never resent, since a resend could put a second copy on the handset. A part is `canceled` when its message was
 * canceled before the part was sent (final; only a pending part becomes canceled).
 * Roll-up: failed, undelivered, expired as soon as one part is (in that precedence); otherwise unknown once every
 * part is delivered or unknown with at least one unknown; delivered when every part is.
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
  'unknown',
  'rejected',
  'canceled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const PART_STATUSES = ['pending', 'submitted', 'delivered', 'undelivered', 'expired', 'failed', 'unknown', 'canceled'] as const;
export type PartStatus = (typeof PART_STATUSES)[number];

const FINAL_MESSAGE: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undelivered',
  'expired',
  'failed',
  'unknown',
  'rejected',
  'canceled',
]);
const FINAL_PART: ReadonlySet<PartStatus> = new Set(['delivered', 'undelivered', 'expired', 'failed', 'unknown', 'canceled']);

export function isFinalMessageStatus(status: MessageStatus): boolean {
  return FINAL_MESSAGE.has(status);
}

export function isFinalPartStatus(status: PartStatus): boolean {
  return FINAL_PART.has(status);
}

/**
 * The part status a carrier receipt state stands for. Intermediate notifications leave the part submitted.
 * - DELIVRD, EXPIRED: as they say. UNDELIV, REJECTD, DELETED (deleted by the SMSC or an operator): undelivered.
 * - UNKNOWN: the carrier itself does not know, and will not say more: the part is unknown (final).
 * - ENROUTE: still trying; the part stays submitted.
 * - ACCEPTD: SMPP 3.4 calls it final ("read on behalf of the subscriber by customer service"), but carriers also
 *   send it for "taken by the network". Neither tells of the handset, so the part stays submitted and the receipt
 *   timeout decides (query_sm where the connector offers it, then unknown).
 */
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
      return 'unknown';
    case 'enroute':
    case 'accepted':
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
  let unknown = 0;
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
      case 'unknown':
        unknown += 1;
        break;
      case 'submitted':
      case 'canceled':
        break;
    }
  }
  if (failed) return 'failed';
  if (undelivered) return 'undelivered';
  if (expired) return 'expired';
  if (parts.length === 0) return undefined;
  if (delivered === parts.length) return 'delivered';
  if (unknown > 0 && delivered + unknown === parts.length) return 'unknown';
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
  canceled: 'C',
};
