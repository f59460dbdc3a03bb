import type { MessageChange, MessageRecord, PartUpdate, TimelineEntry } from './message-record.ts';
import { isFinalMessageStatus, isFinalPartStatus, rollUpParts, type MessageStatus, type PartStatus } from './message-status.ts';

/** Statuses that supersede an earlier failed attempt: entering one clears the attempt's `error` and `raw`. */
const CLEARS_ATTEMPT: ReadonlySet<PartStatus> = new Set(['submitted', 'delivered']);

/**
 * The one definition of how a change lands on a record (the Redis adapter's script mirrors it, and the
 * adapters' shared contract tests hold both to it): part updates merge field by field into the part with their
 * sequence number (a sequence number the message does not have is ignored), a final part status never goes
 * back to a non-final one, a part becomes `canceled` only from `pending`, a part entering `submitted` or `delivered`
 * drops the `error` and `raw` of an earlier attempt (unless the update carries its own), a final message status
 * never changes, and a status the roll-up derives is added to the timeline.
 */
export function applyChange(record: MessageRecord, change: MessageChange): MessageRecord {
  let parts = record.parts;
  if (change.parts !== undefined && change.parts.length > 0) {
    const updates = new Map<number, PartUpdate>();
    for (const update of change.parts) updates.set(update.seq, { ...updates.get(update.seq), ...update });
    parts = record.parts.map((part) => {
      const update = updates.get(part.seq);
      if (update === undefined) return part;
      // A receipt can land before the submit outcome that precedes it: a final part keeps its status.
      if (isFinalPartStatus(part.status) && update.status !== undefined && !isFinalPartStatus(update.status)) return { ...part, ...update, status: part.status };
      // Canceling stops parts not yet sent; a part already on its way keeps its status.
      if (update.status === 'canceled' && part.status !== 'pending') return part;
      if (update.status !== undefined && update.status !== part.status && CLEARS_ATTEMPT.has(update.status)) {
        const { error: _error, raw: _raw, ...rest } = part;
        return { ...rest, ...update };
      }
      return { ...part, ...update };
    });
  }
  const timeline: TimelineEntry[] = [...record.timeline, ...change.timeline];
  let status: MessageStatus = record.status;
  if (!isFinalMessageStatus(status)) {
    const derived = change.rollUp === true ? rollUpParts(parts) : undefined;
    const next = change.status ?? derived;
    if (next !== undefined && next !== status) {
      status = next;
      if (change.status === undefined) timeline.push({ at: change.at, event: next });
    }
  }
  return { envelope: record.envelope, status, parts, timeline };
}
