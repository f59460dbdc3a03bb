/**
 * The status updater: raw receipts from the receipts topic onto message state. A receipt whose part is not
 * known yet (it overtook its submit_sm_resp) is tried again for a bounded time, then parked with a reason on the
 * dead-letter topic; an unreadable record is parked at once. A receipt that moves nothing (a replay after a
 * crash, or the carrier repeating itself) has its events published again, so none is missing; the events keep
 * their ids, and consumers drop what they already have.
 */
import type { Receipt } from '../../drivers/transport/index.ts';
import type { ReceiptRecord, UnmatchedReceiptRecord } from '../events/gateway-event.ts';
import { receiptFromRecord, receiptKey, receiptRecord } from '../events/receipt-record.ts';
import type { ReceiptOutcome } from '../receipts/receipt-processor.ts';

export interface ReceiptApplier {
  applyReceipt(receipt: Receipt): Promise<ReceiptOutcome>;
  republishFor(receipt: Receipt): Promise<void>;
  /** Counts a receipt given up after the hold time (it is parked next). */
  receiptGivenUp(receipt: Receipt): void;
}

export interface StatusUpdaterOptions {
  readonly gateway: ReceiptApplier;
  /** Writes a parked receipt to the dead-letter topic; resolves once it is durable. */
  readonly park: (record: UnmatchedReceiptRecord) => Promise<void>;
  readonly holdMs: number;
  readonly retryEveryMs?: number;
  readonly observer?: { parked?(reason: UnmatchedReceiptRecord['reason']): void };
  readonly now?: () => number;
}

export interface IncomingRecord {
  readonly key: string | undefined;
  readonly value: string | undefined;
}

export class StatusUpdater {
  private readonly now: () => number;

  constructor(private readonly options: StatusUpdaterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves once every receipt of the batch is applied or parked, with its events out. */
  async handle(records: readonly IncomingRecord[], heartbeat: () => Promise<void>): Promise<void> {
    const byKey = new Map<string, Receipt[]>();
    for (const record of records) {
      const receipt = this.read(record.value);
      if (receipt === undefined) {
        await this.park({ reason: 'unreadable', payload: (record.value ?? '').slice(0, 10_000) });
        continue;
      }
      // One part's receipts in their order (an intermediate one must not land after the final one); different
      // parts in parallel.
      const key = record.key ?? receiptKey(receipt.connectorId, receipt.carrierMessageId);
      let list = byKey.get(key);
      if (list === undefined) byKey.set(key, (list = []));
      list.push(receipt);
    }
    const waiting: Receipt[] = [];
    await Promise.all(
      [...byKey.values()].map(async (receipts) => {
        for (const receipt of receipts) {
          const outcome = await this.options.gateway.applyReceipt(receipt);
          if (outcome === 'unmatched') waiting.push(receipt);
          else if (outcome === 'unchanged' && receipt.final) await this.options.gateway.republishFor(receipt);
        }
      }),
    );
    await this.hold(waiting, heartbeat);
  }

  private async hold(receipts: Receipt[], heartbeat: () => Promise<void>): Promise<void> {
    const until = this.now() + this.options.holdMs;
    let left = receipts;
    while (left.length > 0 && this.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryEveryMs ?? 200));
      await heartbeat();
      const still: Receipt[] = [];
      for (const receipt of left) if ((await this.options.gateway.applyReceipt(receipt)) === 'unmatched') still.push(receipt);
      left = still;
    }
    for (const receipt of left) {
      this.options.gateway.receiptGivenUp(receipt);
      await this.park({ reason: 'no-matching-part', receipt: receiptRecord(receipt) });
    }
  }

  private read(value: string | undefined): Receipt | undefined {
    if (value === undefined) return undefined;
    try {
      return receiptFromRecord(JSON.parse(value) as unknown);
    } catch {
      return undefined;
    }
  }

  private async park(parked: { reason: UnmatchedReceiptRecord['reason']; receipt?: ReceiptRecord; payload?: string }): Promise<void> {
    const at = new Date(this.now()).toISOString();
    await this.options.park({
      type: 'receipt.unmatched',
      version: 1,
      id: parked.receipt === undefined ? `unreadable:${at}:${Math.random().toString(36).slice(2)}` : `${parked.receipt.id}:parked`,
      reason: parked.reason,
      parkedAt: at,
      ...(parked.receipt === undefined ? {} : { receipt: parked.receipt }),
      ...(parked.payload === undefined ? {} : { payload: parked.payload }),
    });
    this.options.observer?.parked?.(parked.reason);
  }
}
