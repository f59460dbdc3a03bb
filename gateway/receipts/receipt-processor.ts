/**
 * Receipts from either driver: find the part (the carrier id may come back in hex where the submit response gave
 * decimal, or the reverse), update it with the normalized state and the raw carrier values, and roll the message
 * up. A receipt can arrive before its submit response was stored (fast SMSCs do this): it is held and tried again
 * for a bounded time, then counted as unmatched, never dropped silently. This is the one place that holds such
 * receipts, in either mode: the status updater waits on a held receipt (Kafka: its offset is committed only
 * after) or lets it wait in the background (memory: the carrier is answered at once). Each receipt is reported
 * once to the observer: when it finally matches a part, or when it is given up.
 */
import { messageIdCandidates } from '../../drivers/codec/index.ts';
import type { Receipt } from '../../drivers/transport/index.ts';
import { gatewayError } from '../errors.ts';
import type { MessageChange } from '../messages/message-record.ts';
import { partStatusForReceipt } from '../messages/message-status.ts';
import type { AppliedChange, Correlation, MessageStore } from '../ports/message-store.ts';
import type { RecentCorrelations } from './recent-correlations.ts';

export interface ReceiptObserver {
  /** Resolves once the change's events are out (a shared log's status updater commits only after that). */
  changed(applied: AppliedChange, change: MessageChange, hint: { readonly connector: string; readonly smscMessageId: string }): Promise<void> | void;
  /** Once per receipt: when it matched a part (at once or after being held), or when it was given up unmatched. */
  receipt?(receipt: Receipt, matched: boolean): void;
  /** A held receipt given up (hold time over, or the held receipts at their bound). */
  unmatched?(receipt: Receipt): void;
  /** A final receipt for a part submitted `ms` earlier. */
  submitToReceipt?(connectorId: string, ms: number): void;
}

export interface ReceiptProcessorOptions {
  readonly store: MessageStore;
  readonly observer?: ReceiptObserver;
  /** How long an unmatched receipt is tried again (default 30 s). */
  readonly holdMs?: number;
  /** At most this many held receipts; beyond it the oldest is given up as unmatched (default 100,000). */
  readonly maxHeld?: number;
  readonly retryEveryMs?: number;
  /** Fresh correlations of this process, asked before the store. */
  readonly recent?: RecentCorrelations;
  readonly now?: () => number;
}

export type ReceiptOutcome = 'moved' | 'unchanged' | 'unmatched';

interface Held {
  readonly receipt: Receipt;
  readonly since: number;
  /** Settles the holder's promise: true once a part matched, false once given up. */
  readonly settle: (matched: boolean) => void;
  readonly fail: (error: unknown) => void;
  /** A store failure while retrying ends the hold with that error (else it counts as no match yet). */
  readonly failOnError: boolean;
}

export class ReceiptProcessor {
  private held: Held[] = [];
  private timer: NodeJS.Timeout | undefined;
  private retrying = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: ReceiptProcessorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves once the receipt is applied or held; rejects only when the store fails (the driver then nacks). */
  async handle(receipt: Receipt): Promise<void> {
    if ((await this.applyOnce(receipt)) === 'unmatched') void this.hold(receipt).catch(() => undefined);
  }

  /**
   * Applies the receipt if a part matches it now, and says whether it moved anything (a replayed or repeated
   * receipt does not); never holds it (the caller decides: `hold`). A receipt that does not match yet is not
   * reported: it may still match.
   */
  async applyOnce(receipt: Receipt): Promise<ReceiptOutcome> {
    const outcome = await this.apply(receipt);
    if (outcome !== 'unmatched') this.options.observer?.receipt?.(receipt, true);
    return outcome;
  }

  /** The part a receipt stands for, if one is known. */
  correlationOf(receipt: Receipt): Promise<Correlation | undefined> {
    return this.find(receipt);
  }

  get heldCount(): number {
    return this.held.length;
  }

  /**
   * Holds a receipt that matched no part yet and tries it again until the hold time ends: resolves true once it
   * matched, false once it was given up (reported as unmatched); rejects when the processor stops first, and
   * with `failOnError` when the store fails meanwhile (a Kafka batch is then fetched again rather than parked).
   */
  hold(receipt: Receipt, failOnError = false): Promise<boolean> {
    return new Promise<boolean>((settle, fail) => {
      if (this.stopped) {
        fail(stoppedError());
        return;
      }
      const maxHeld = this.options.maxHeld ?? 100_000;
      if (this.held.length >= maxHeld) {
        const dropped = this.held.shift();
        if (dropped !== undefined) this.giveUp(dropped);
      }
      this.held.push({ receipt, since: this.now(), settle, fail, failOnError });
      this.timer ??= setInterval(() => void this.retryHeld(), this.options.retryEveryMs ?? 250);
      this.timer.unref();
    });
  }

  /** Stops retrying; whoever waits on a held receipt gets an error (a Kafka batch is then not committed). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const entry of this.held.splice(0)) entry.fail(stoppedError());
  }

  private async apply(receipt: Receipt): Promise<ReceiptOutcome> {
    const correlation = await this.find(receipt);
    if (correlation === undefined) return 'unmatched';
    const at = this.now();
    const status = partStatusForReceipt(receipt.state, receipt.final);
    const raw = Object.fromEntries(Object.entries(receipt.raw).filter(([key, value]) => value !== undefined && key !== 'text'));
    const change: MessageChange = {
      at,
      parts: [
        {
          seq: correlation.seq,
          status,
          raw,
          // doneAt on the gateway clock (comparable with submittedAt); the carrier's clock may differ, so its done
          // date is kept beside it.
          ...(receipt.final ? { doneAt: at, ...(receipt.doneAt === undefined ? {} : { carrierDoneAt: receipt.doneAt.getTime() }) } : {}),
        },
      ],
      rollUp: true,
      timeline: [{ at, event: `part:${status}`, seq: correlation.seq, connectorId: receipt.connectorId, detail: receipt.raw.stat ?? receipt.state }],
    };
    const applied = await this.options.store.apply(correlation.messageId, change);
    if (applied === undefined) return 'unmatched';
    await this.options.observer?.changed(applied, change, { connector: receipt.connectorId, smscMessageId: receipt.carrierMessageId });
    if (receipt.final && correlation.submittedAt !== undefined) this.options.observer?.submitToReceipt?.(receipt.connectorId, at - correlation.submittedAt);
    return applied.movedParts.length > 0 || applied.status !== applied.previousStatus ? 'moved' : 'unchanged';
  }

  /** Reports a receipt that no part claimed in time. */
  private giveUp(entry: Held): void {
    this.options.observer?.receipt?.(entry.receipt, false);
    this.options.observer?.unmatched?.(entry.receipt);
    entry.settle(false);
  }

  /**
   * This process's fresh correlations first, for every form of the id, so a hit costs no store read; one being
   * written now is waited for (its receipt came right behind the submit response), then the store.
   */
  private async find(receipt: Receipt): Promise<Correlation | undefined> {
    const candidates = messageIdCandidates(receipt.carrierMessageId);
    const recent = this.options.recent;
    if (recent !== undefined) {
      const local = await fromThisProcess(recent, receipt.connectorId, candidates);
      if (local !== undefined) return local;
      // An SMSC that sends the receipt right behind its submit_sm_resp gets both into one socket read, and the
      // driver hands the receipt on before the sender's continuation (a microtask queued by the response) has
      // started to store the part's outcome. One turn of the event loop lets that write start; without it the
      // receipt missed here and in the store, and waited in the held list for the next retry (about 125 ms).
      await new Promise<void>((resolve) => setImmediate(resolve));
      const afterTurn = await fromThisProcess(recent, receipt.connectorId, candidates);
      if (afterTurn !== undefined) return afterTurn;
    }
    for (const candidate of candidates) {
      const found = await this.options.store.findCorrelation(receipt.connectorId, candidate);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private async retryHeld(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      const now = this.now();
      const holdMs = this.options.holdMs ?? 30_000;
      const batch = this.held;
      this.held = [];
      // One part's receipts in their order, different parts side by side: thousands held (a store that fell
      // behind) are tried again in about one round trip, not one after another.
      const byPart = new Map<string, Held[]>();
      for (const entry of batch) {
        const key = `${entry.receipt.connectorId}\u0000${entry.receipt.carrierMessageId}`;
        const list = byPart.get(key);
        if (list === undefined) byPart.set(key, [entry]);
        else list.push(entry);
      }
      const kept = new Set<Held>();
      await Promise.all(
        [...byPart.values()].map(async (list) => {
          for (const entry of list) {
            let matched = false;
            try {
              matched = (await this.applyOnce(entry.receipt)) !== 'unmatched';
            } catch (error: unknown) {
              if (entry.failOnError) {
                entry.fail(error);
                continue;
              }
            }
            if (matched) entry.settle(true);
            else if (now - entry.since >= holdMs) this.giveUp(entry);
            else kept.add(entry);
          }
        }),
      );
      // In the order they were held, ahead of any held meanwhile.
      this.held = [...batch.filter((entry) => kept.has(entry)), ...this.held];
      if (this.stopped) for (const entry of this.held.splice(0)) entry.fail(stoppedError());
      if (this.held.length === 0 && this.timer !== undefined) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    } finally {
      this.retrying = false;
    }
  }
}

function stoppedError(): Error {
  return gatewayError('GW_STORE_UNAVAILABLE', 'the gateway is shutting down');
}

/** A correlation this process holds, or the one it is writing now once that write settles; else undefined. */
async function fromThisProcess(recent: RecentCorrelations, connectorId: string, candidates: readonly string[]): Promise<Correlation | undefined> {
  for (const candidate of candidates) {
    const fresh = recent.get(connectorId, candidate);
    if (fresh !== undefined) return fresh;
  }
  for (const candidate of candidates) {
    const write = recent.writing(connectorId, candidate);
    if (write === undefined) continue;
    await write.catch(() => undefined);
    const written = recent.get(connectorId, candidate);
    if (written !== undefined) return written;
  }
  return undefined;
}
