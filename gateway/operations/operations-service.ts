/**
 * What operators watch: every connector's links (up, connecting or down, and since when), its throughput against
 * its TPS ceiling, its route queue backlog and its window in flight, each modem's identity, signal, SIM, network
 * registration and daily cap (`connectors()`); and an account's recent failures with their codes
 * (`recentFailures()`). The console's operations page and `GET /v1/connectors`, `GET /v1/failures` read the same.
 *
 * Links and throughput are this process's: each process runs its own drivers (their binds and modems), so with
 * several processes each answers for the links it holds. The queue backlog is the shared route queue's, and the
 * bind slots are read from the shared leases: which this process holds, which others hold, which are free.
 */
import type { PartOutcome } from '../../drivers/transport/index.ts';
import type { LinkState } from '../links/link-state.ts';
import type { MessageRecord } from '../messages/message-record.ts';
import type { MessageStore } from '../ports/message-store.ts';
import type { RouteQueue } from '../ports/route-queue.ts';
import type { BindSlots } from './bind-slots.ts';
import { connectorSnapshot, type ConnectorSnapshot } from './connector-snapshot.ts';
import { failuresOf, type RecentFailure } from './recent-failures.ts';
import { ThroughputMeter } from './throughput-meter.ts';

export interface ConnectorsSnapshot {
  /** When it was read (epoch ms). */
  readonly at: number;
  readonly connectors: readonly ConnectorSnapshot[];
}

export interface FailureQuery {
  /** At most this many failed parts (default 20, at most 100). */
  readonly limit?: number;
}

export interface OperationsServiceOptions {
  readonly links: Pick<LinkState, 'connectorIds' | 'driver' | 'linkSince' | 'onChange'>;
  readonly queue: Pick<RouteQueue, 'depth'>;
  readonly store: Pick<MessageStore, 'list'>;
  /** The connector's bind slots and their holders now, as this process sees them (bind-slots.ts). */
  readonly slots: (connectorId: string) => Promise<BindSlots>;
  readonly now: () => number;
  /** Seconds of the throughput window (default 10). */
  readonly throughputWindowSeconds?: number;
}

/** Failures are looked for among the account's messages of this last while... */
export const FAILURE_WINDOW_MS = 24 * 3_600_000;
/** ...and among at most this many of its newest messages, so one read stays bounded however busy the account is. */
export const FAILURE_SCAN = 1_000;
const SCAN_PAGE = 200;
export const MAX_FAILURES = 100;

export class OperationsService {
  private readonly meter: ThroughputMeter;

  constructor(private readonly options: OperationsServiceOptions) {
    this.meter = new ThroughputMeter(options.throughputWindowSeconds);
  }

  /**
   * A part's submit outcome (the dispatch worker's): counted in its connector's throughput when it reached the
   * carrier, that is when it was submitted, its outcome is unknown (it was written), or the carrier answered
   * it with an error (a raw value). A failure the driver decided alone (no bind up, invalid request) used no TPS.
   */
  submitted(connectorId: string, outcome: PartOutcome): void {
    if (outcome.status === 'failed' && outcome.raw === undefined) return;
    this.meter.record(connectorId, this.options.now());
  }

  /** Every connector of this process, in configuration order. */
  async connectors(): Promise<ConnectorsSnapshot> {
    const { links, queue } = this.options;
    const at = this.options.now();
    const connectors: ConnectorSnapshot[] = [];
    for (const id of [...links.connectorIds]) {
      const driver = links.driver(id);
      if (driver === undefined) continue;
      connectors.push(
        connectorSnapshot({
          health: driver.health(),
          since: (linkId) => links.linkSince(id, linkId),
          perSecond: this.meter.perSecond(id, at),
          windowSeconds: this.meter.windowSeconds,
          depth: await queue.depth(id),
          slots: await this.options.slots(id),
        }),
      );
    }
    return { at, connectors };
  }

  /**
   * The account's failed, undelivered and expired parts, newest first: among its messages of the last 24 hours,
   * at most its newest 1,000 (a failure further back is on the messages page, by status).
   */
  async recentFailures(accountId: string, query: FailureQuery = {}): Promise<RecentFailure[]> {
    const limit = Math.min(MAX_FAILURES, Math.max(1, query.limit ?? 20));
    const since = this.options.now() - FAILURE_WINDOW_MS;
    const records: MessageRecord[] = [];
    let cursor: string | undefined;
    while (records.length < FAILURE_SCAN) {
      const page = await this.options.store.list({ accountId, since, limit: Math.min(SCAN_PAGE, FAILURE_SCAN - records.length), ...(cursor === undefined ? {} : { cursor }) });
      records.push(...page.items);
      if (page.nextCursor === undefined || page.items.length === 0) break;
      cursor = page.nextCursor;
    }
    return failuresOf(records, limit);
  }

  /** Calls `listener` whenever a link goes up or down (live views push at once instead of waiting for their tick). */
  onLinkChange(listener: (connectorId: string) => void): () => void {
    return this.options.links.onChange(listener);
  }
}
