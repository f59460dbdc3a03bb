/**
 * An account's recent failures, part by part: each part that ended failed (the carrier or the driver refused its
 * submit), undelivered or expired (the carrier's receipt said so), with its error code and the carrier's raw
 * values beside it (SMPP command_status, stat / err / network_error_code, modem +CMS ERROR or TP-Status). Pure:
 * the caller gives the records.
 */
import type { MessageRecord, PartRaw } from '../messages/message-record.ts';
import type { PartStatus } from '../messages/message-status.ts';

export const FAILED_PART_STATUSES: readonly PartStatus[] = ['failed', 'undelivered', 'expired'];
const FAILED: ReadonlySet<PartStatus> = new Set(FAILED_PART_STATUSES);

export interface RecentFailure {
  /** When the part failed (epoch ms, gateway clock). */
  readonly at: number;
  readonly messageId: string;
  readonly to: string;
  readonly carrier: string;
  readonly connectorId: string | null;
  readonly seq: number;
  readonly status: PartStatus;
  /** The gateway's code for it (SMPP_SUBMIT_REJECTED, MODEM_CMS_ERROR, ...); null when a receipt said it (see raw). */
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly raw: PartRaw | null;
}

/** Every failed part of the records, newest first, at most `limit`. */
export function failuresOf(records: Iterable<MessageRecord>, limit: number): RecentFailure[] {
  const failures: RecentFailure[] = [];
  for (const record of records) {
    for (const part of record.parts) {
      if (!FAILED.has(part.status)) continue;
      const entry = record.timeline.findLast((t) => t.event === `part:${part.status}` && t.seq === part.seq);
      failures.push({
        at: entry?.at ?? part.doneAt ?? record.envelope.createdAt,
        messageId: record.envelope.id,
        to: record.envelope.to,
        carrier: record.envelope.carrier,
        connectorId: part.connectorId ?? entry?.connectorId ?? null,
        seq: part.seq,
        status: part.status,
        error: part.error ?? null,
        raw: part.raw === undefined || Object.keys(part.raw).length === 0 ? null : part.raw,
      });
    }
  }
  return failures.sort((a, b) => b.at - a.at || (a.messageId < b.messageId ? 1 : a.messageId > b.messageId ? -1 : a.seq - b.seq)).slice(0, limit);
}
