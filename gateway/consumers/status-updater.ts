/**
 * The status updater: drivers' receipts onto message state, in either mode. One part's receipts are applied in
 * their order (an intermediate one must not land after the final one), different parts in parallel. A receipt
 * whose part is not known yet (it overtook its submit_sm_resp) is held by the receipt processor, the one place
 * that holds them:
 * - with `waitForHeld` (Kafka) the batch resolves only once each held receipt matched or was given up, and a
 *   given-up receipt is parked with its reason; only then are the offsets committed;
 * - without it (memory) the receipt waits in the background and the carrier is answered at once.
 * A receipt that moves nothing (a replay after a crash, or the carrier repeating itself) has its events published
 * again when `republish` is given; the events keep their ids, and consumers drop what they already have.
 */
import type { Receipt } from '../../drivers/transport/index.ts';
import type { UnmatchedReceiptRecord } from '../events/gateway-event.ts';
import { parkedReceipt, receiptKey } from '../events/receipt-record.ts';
import type { Heartbeat, ReceiptHandler } from '../ports/event-transport.ts';
import type { ReceiptProcessor } from '../receipts/receipt-processor.ts';

export interface StatusUpdaterOptions {
  readonly receipts: ReceiptProcessor;
  readonly waitForHeld: boolean;
  readonly republish?: (receipt: Receipt) => Promise<void>;
  /** Keeps a receipt given up after the hold time; resolves once it is durable. */
  readonly park?: (record: UnmatchedReceiptRecord, key: string) => Promise<void>;
  readonly observer?: { parked?(reason: UnmatchedReceiptRecord['reason']): void };
  /** How often a waiting batch tells its consumer group it is alive (default 200 ms; kafkajs sends at most one per heartbeat interval). */
  readonly heartbeatEveryMs?: number;
  readonly now?: () => number;
}

export class StatusUpdater implements ReceiptHandler {
  private readonly now: () => number;

  constructor(private readonly options: StatusUpdaterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves once every receipt of the batch is applied, held, or (waiting for held ones) parked, with its events out. */
  async handle(receipts: readonly Receipt[], heartbeat: Heartbeat): Promise<void> {
    const { receipts: processor, republish } = this.options;
    const byPart = new Map<string, Receipt[]>();
    for (const receipt of receipts) {
      const key = receiptKey(receipt.connectorId, receipt.carrierMessageId);
      let list = byPart.get(key);
      if (list === undefined) byPart.set(key, (list = []));
      list.push(receipt);
    }
    const waiting: Receipt[] = [];
    await Promise.all(
      [...byPart.values()].map(async (list) => {
        for (const receipt of list) {
          const outcome = await processor.applyOnce(receipt);
          if (outcome === 'unmatched') waiting.push(receipt);
          else if (outcome === 'unchanged' && receipt.final && republish !== undefined) await republish(receipt);
        }
      }),
    );
    if (waiting.length === 0) return;
    if (!this.options.waitForHeld) {
      for (const receipt of waiting) void processor.hold(receipt).catch(() => undefined);
      return;
    }
    const matched = await this.whileAlive(
      Promise.all(waiting.map((receipt) => processor.hold(receipt, true))),
      heartbeat,
    );
    for (const [i, receipt] of waiting.entries()) if (matched[i] !== true) await this.park(receipt);
  }

  /** Waits for `work`, heartbeating meanwhile; a failed heartbeat (the group rebalanced) fails the batch after. */
  private async whileAlive<T>(work: Promise<T>, heartbeat: Heartbeat): Promise<T> {
    let failed: { error: unknown } | undefined;
    const timer = setInterval(() => {
      heartbeat().catch((error: unknown) => (failed ??= { error }));
    }, this.options.heartbeatEveryMs ?? 200);
    try {
      const result = await work;
      if (failed !== undefined) throw failed.error;
      return result;
    } finally {
      clearInterval(timer);
    }
  }

  private async park(receipt: Receipt): Promise<void> {
    const record = parkedReceipt('no-matching-part', new Date(this.now()), { receipt });
    await this.options.park?.(record, receiptKey(receipt.connectorId, receipt.carrierMessageId));
    this.options.observer?.parked?.('no-matching-part');
  }
}
