/**
 * The drivers' links as the rest of the gateway sees them: which links of each connector are up (from the
 * drivers' `up` and `down` events, one log line each), since when each link is up or down, whether a connector
 * can take traffic, and readiness. Listeners (`onChange`) hear of every link that went up or down.
 */
import { maskDigits } from '../../common/index.ts';
import type { Driver } from '../../drivers/transport/index.ts';
import type { GatewayLog } from '../log/gateway-log.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';

export interface Readiness {
  readonly ready: boolean;
  readonly store: boolean;
  readonly connectors: Record<string, boolean>;
}

export class LinkState {
  private readonly drivers = new Map<string, Driver>();
  private readonly upState = new Map<string, boolean>();
  /** `<connector>\u0000<link>` -> when the link last went up, or down (its first failure, when never up). */
  private readonly since = new Map<string, number>();
  /** Connector -> when its driver was first watched (the start of a link that has told nothing yet). */
  private readonly watchedAt = new Map<string, number>();
  private readonly listeners = new Set<(connectorId: string) => void>();

  constructor(
    drivers: readonly Driver[],
    private readonly metrics: GatewayMetrics,
    private readonly log: GatewayLog,
    /** Whether the message store answers (readiness needs it and one connector up). */
    private readonly storeAnswers: () => Promise<boolean>,
    private readonly now: () => number = Date.now,
  ) {
    for (const driver of drivers) this.drivers.set(driver.id, driver);
  }

  get connectorIds(): IterableIterator<string> {
    return this.drivers.keys();
  }

  driver(connectorId: string): Driver | undefined {
    return this.drivers.get(connectorId);
  }

  /**
   * Whether a connector can take traffic. Once watched, the answer is the driver's health as of its last `up` or
   * `down` event: this runs for every accepted message, and a full health report there costs too much.
   */
  isUp(connectorId: string): boolean {
    return this.upState.get(connectorId) ?? this.drivers.get(connectorId)?.health().up ?? false;
  }

  /** Follows a driver's links from now on (call before the driver starts, so its first link is seen). */
  watch(driver: Driver): void {
    const links = new Set<string>();
    if (!this.watchedAt.has(driver.id)) this.watchedAt.set(driver.id, this.now());
    driver.on('up', (link) => {
      links.add(link);
      this.since.set(linkKey(driver.id, link), this.now());
      this.upState.set(driver.id, driver.health().up);
      this.metrics.linksUp.set({ connector: driver.id }, links.size);
      this.log.info({ connector: driver.id, link, linksUp: links.size }, 'link up');
      this.changed(driver.id);
    });
    driver.on('down', (link, reason) => {
      // A link that was up lost its connection; one that was not failed to come up (each retry, with backoff).
      const wasUp = links.delete(link);
      const key = linkKey(driver.id, link);
      // Down since it went down; a link that keeps failing to come up stays down since its first failure.
      if (wasUp || !this.since.has(key)) this.since.set(key, this.now());
      this.upState.set(driver.id, driver.health().up);
      this.metrics.linksUp.set({ connector: driver.id }, links.size);
      this.log.warn({ connector: driver.id, link, linksUp: links.size, reason: maskDigits(reason) }, wasUp ? 'link down' : 'link failed to come up');
      if (wasUp) this.changed(driver.id);
    });
  }

  /**
   * Since when a link is in its present up or down state (epoch ms): its last `up`, the `down` that ended it, or
   * for a link that never came up its first failure; else when its driver began to be watched.
   */
  linkSince(connectorId: string, linkId: string): number | undefined {
    return this.since.get(linkKey(connectorId, linkId)) ?? this.watchedAt.get(connectorId);
  }

  /** Calls `listener` with the connector's id whenever one of its links goes up or an up link goes down. */
  onChange(listener: (connectorId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(connectorId: string): void {
    for (const listener of this.listeners) {
      try {
        listener(connectorId);
      } catch {
        // A listener's failure must not stop the driver's event from reaching the others.
      }
    }
  }

  /** Events keep the up state current; this catches a driver whose health changed without one. */
  refresh(): void {
    for (const driver of this.drivers.values()) this.upState.set(driver.id, driver.health().up);
  }

  /**
   * Several processes: a connector whose binds another process holds counts as up for readiness here, since this
   * process can send its messages (they wait in the shared queue for that process's binds).
   */
  heldElsewhere: (connectorId: string) => boolean = () => false;

  async ready(): Promise<Readiness> {
    const store = await this.storeAnswers();
    const connectors: Record<string, boolean> = {};
    for (const id of this.drivers.keys()) connectors[id] = this.isUp(id) || this.heldElsewhere(id);
    return { ready: store && Object.values(connectors).some(Boolean), store, connectors };
  }
}

function linkKey(connectorId: string, linkId: string): string {
  return `${connectorId}\u0000${linkId}`;
}
