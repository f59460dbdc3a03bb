/**
 * The receipt timeout: a part submitted but never given a final receipt must still end. When a message's receipt
 * wait runs out (`MessageChange.watchUntil`), each part still `submitted` is asked about with query_sm where its
 * connector offers it; a final answer settles the part as a receipt would. Otherwise the part becomes `unknown`
 * (GW_RECEIPT_TIMEOUT), which is final: the gateway cannot tell whether the handset got it, and says so.
 */
import type { Driver, QueryOutcome } from '../../drivers/transport/index.ts';
import type { MessageChange, MessageRecord, PartState, PartUpdate, TimelineEntry } from '../messages/message-record.ts';
import { isFinalMessageStatus, isFinalPartStatus, partStatusForReceipt } from '../messages/message-status.ts';
import type { MessageStore } from '../ports/message-store.ts';

export interface ReceiptTimeoutOptions {
  readonly store: MessageStore;
  readonly driver: (connectorId: string) => Driver | undefined;
  /** Applies a change and publishes its events. */
  readonly change: (id: string, change: MessageChange) => Promise<void>;
  /** How long one process holds a due message before another may take it (default 60 s). */
  readonly leaseMs?: number;
  /** Messages resolved per sweep at most (default 200). */
  readonly batch?: number;
  readonly now?: () => number;
  /** A part was settled: by query_sm (`query`) or as unknown (`timeout`). */
  readonly resolved?: (connectorId: string, how: 'query' | 'timeout') => void;
}

export class ReceiptTimeout {
  private readonly now: () => number;
  private sweeping = false;

  constructor(private readonly options: ReceiptTimeoutOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves every message whose wait ended; resolves to how many messages it looked at. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    let seen = 0;
    try {
      const batch = this.options.batch ?? 200;
      for (;;) {
        const ids = await this.options.store.claimDueWatches(this.now(), batch, this.options.leaseMs ?? 60_000);
        for (const id of ids) await this.resolve(id);
        seen += ids.length;
        if (ids.length < batch) return seen;
      }
    } finally {
      this.sweeping = false;
    }
  }

  private async resolve(id: string): Promise<void> {
    const record = await this.options.store.get(id);
    if (record === undefined || isFinalMessageStatus(record.status)) return;
    const waiting = record.parts.filter((part) => part.status === 'submitted');
    if (waiting.length === 0) return;
    const parts: PartUpdate[] = [];
    const timeline: TimelineEntry[] = [];
    for (const part of waiting) {
      const at = this.now();
      const answer = await this.query(record, part);
      const connectorId = part.connectorId ?? '';
      if (answer?.status === 'found' && answer.final && isFinalPartStatus(partStatusForReceipt(answer.state, true))) {
        const status = partStatusForReceipt(answer.state, true);
        parts.push({
          seq: part.seq,
          status,
          raw: { messageState: answer.raw.messageState, ...(answer.raw.errorCode === undefined ? {} : { err: String(answer.raw.errorCode) }) },
          doneAt: at,
          ...(answer.doneAt === undefined ? {} : { carrierDoneAt: answer.doneAt.getTime() }),
        });
        timeline.push({ at, event: `part:${status}`, seq: part.seq, connectorId, detail: 'query_sm after the receipt timeout' });
        this.options.resolved?.(connectorId, 'query');
        continue;
      }
      const asked = answer === undefined ? '' : answer.status === 'failed' ? `; query_sm: ${answer.error.code}` : `; query_sm: still ${answer.state}`;
      parts.push({ seq: part.seq, status: 'unknown', error: { code: 'GW_RECEIPT_TIMEOUT', message: `no final receipt by the receipt timeout${asked}` }, doneAt: at });
      timeline.push({ at, event: 'part:unknown', seq: part.seq, connectorId, detail: `receipt timeout${asked}` });
      this.options.resolved?.(connectorId, 'timeout');
    }
    await this.options.change(id, { at: this.now(), parts, rollUp: true, timeline });
  }

  private async query(record: MessageRecord, part: PartState): Promise<QueryOutcome | undefined> {
    const driver = part.connectorId === undefined ? undefined : this.options.driver(part.connectorId);
    if (driver?.query === undefined || part.carrierMessageId === undefined || part.carrierMessageId === '') return undefined;
    const envelope = record.envelope;
    const index = envelope.connectors.indexOf(driver.id);
    const from = (index >= 0 ? envelope.senders?.[index] : undefined) ?? envelope.from ?? '';
    return driver.query({ carrierMessageId: part.carrierMessageId, from });
  }
}
