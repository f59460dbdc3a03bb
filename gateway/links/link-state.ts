/**
 * The drivers' links as the rest of the gateway sees them: which links of each connector are up (from the
 * drivers' `up` and `down` events, one log line each), whether a connector can take traffic, and readiness.
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

  constructor(
    drivers: readonly Driver[],
    private readonly metrics: GatewayMetrics,
    private readonly log: GatewayLog,
    /** Whether the message store answers (readiness needs it and one connector up). */
    private readonly storeAnswers: () => Promise<boolean>,
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
    driver.on('up', (link) => {
      links.add(link);
      this.upState.set(driver.id, driver.health().up);
      this.metrics.linksUp.set({ connector: driver.id }, links.size);
      this.log.info({ connector: driver.id, link, linksUp: links.size }, 'link up');
    });
    driver.on('down', (link, reason) => {
      // A link that was up lost its connection; one that was not failed to come up (each retry, with backoff).
      const wasUp = links.delete(link);
      this.upState.set(driver.id, driver.health().up);
      this.metrics.linksUp.set({ connector: driver.id }, links.size);
      this.log.warn({ connector: driver.id, link, linksUp: links.size, reason: maskDigits(reason) }, wasUp ? 'link down' : 'link failed to come up');
    });
  }

  /** Events keep the up state current; this catches a driver whose health changed without one. */
  refresh(): void {
    for (const driver of this.drivers.values()) this.upState.set(driver.id, driver.health().up);
  }

  async ready(): Promise<Readiness> {
    const store = await this.storeAnswers();
    const connectors: Record<string, boolean> = {};
    for (const id of this.drivers.keys()) connectors[id] = this.isUp(id);
    return { ready: store && Object.values(connectors).some(Boolean), store, connectors };
  }
}
