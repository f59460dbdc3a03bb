/**
 * Which of its connectors' bind slots this process opens, when several processes share one store (see
 * ports/bind-lease-store.ts). Every `leaseMs / 3` it renews its presence and its slot leases, then evens out:
 * - its share of a connector is `ceil(slots / live processes)`; it takes free slots up to that share;
 * - it gives up slots beyond its share, after `apply` closed their binds, so a newcomer finds them free;
 * - a slot whose renewal fails (another process took it after this one's lease ran out) is dropped at once;
 * - when the store stays unreachable for a whole lease, every slot is dropped: another process may hold it by then.
 * A dead process's slots come free when its leases expire, and the survivors take them at their next round.
 * `apply` runs per connector in order, never blocking the renewals of the others.
 */
import type { Driver } from '../../drivers/transport/index.ts';
import type { BindLeaseStore } from '../ports/bind-lease-store.ts';

export interface OwnedConnector {
  readonly id: string;
  /** Bind slots of the connector (SMPP `binds`; 1 for a driver owned whole). */
  readonly slots: number;
}

/** A driver's bind slots: its `bindSlots` when it can open a share of its binds, else one (owned whole). */
export function bindSlotCount(driver: Pick<Driver, 'own' | 'bindSlots'>): number {
  return driver.own === undefined ? 1 : Math.max(1, driver.bindSlots ?? 1);
}

export interface BindOwnershipOptions {
  readonly store: BindLeaseStore;
  readonly owner: string;
  readonly connectors: readonly OwnedConnector[];
  /** How long a lease lasts without renewal; renewed every third of it. */
  readonly leaseMs: number;
  /** Opens exactly these slots of the connector (and closes the others); resolves once the closed ones are down. */
  apply(connectorId: string, slots: readonly number[]): Promise<void>;
  /** A round failed (the store is away); the next round tries again. */
  failed?(error: unknown): void;
  readonly now?: () => number;
}

interface Holding {
  readonly connector: OwnedConnector;
  /** Slots whose lease this process holds (including those being given up). */
  readonly held: Set<number>;
  /** Slots being closed before their lease is given up. */
  readonly releasing: Set<number>;
  /** What `apply` was last asked to open. */
  applied: string;
  /** Whether another process held a slot at the last round. */
  elsewhere: boolean;
  chain: Promise<void>;
}

export class BindOwnership {
  private readonly holdings = new Map<string, Holding>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private lastRenewed: number;
  private stopped = false;
  /** The lease renewal under way while stopping (see `stop`). */
  private keeping: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: BindOwnershipOptions) {
    this.now = options.now ?? Date.now;
    this.lastRenewed = this.now();
    for (const connector of options.connectors) {
      this.holdings.set(connector.id, { connector, held: new Set(), releasing: new Set(), applied: '', elsewhere: false, chain: Promise.resolve() });
    }
  }

  /** Runs the first round (so a lone process opens its binds at once), then one every third of the lease. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
  }

  /** The slots this process holds now. */
  holding(connectorId: string): readonly number[] {
    const holding = this.holdings.get(connectorId);
    return holding === undefined ? [] : [...holding.held].sort((a, b) => a - b);
  }

  /** Whether another process held a slot of the connector at the last round (so it may send there). */
  heldElsewhere(connectorId: string): boolean {
    return this.holdings.get(connectorId)?.elsewhere === true;
  }

  /** Takes no part in later rounds for this connector (a driver owned whole that cannot open again). */
  forget(connectorId: string): void {
    this.holdings.delete(connectorId);
  }

  /**
   * Stops the rounds; the binds are closed by the caller, then `release` gives the leases up. Until then the leases
   * of the slots held are still renewed (nothing taken or given up): a shutdown that waits for its in-flight submits
   * longer than a lease must not let another process bind a slot whose bind is still open here.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
    await Promise.all([...this.holdings.values()].map((holding) => holding.chain));
    this.timer = setInterval(() => void this.keepHeld(), Math.max(50, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
  }

  /** Gives up every lease and this process's presence (after its binds are closed). */
  async release(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.keeping;
    const { store, owner } = this.options;
    for (const holding of this.holdings.values()) {
      for (const slot of holding.held) await store.release(holding.connector.id, slot, owner).catch(() => undefined);
      holding.held.clear();
    }
    await store.leave(owner).catch(() => undefined);
  }

  /** Renews the leases of the slots held, while a stopping process closes their binds. */
  private keepHeld(): void {
    if (this.keeping !== undefined) return;
    const { store, owner, leaseMs } = this.options;
    this.keeping = (async () => {
      for (const holding of this.holdings.values()) {
        for (const slot of holding.held) await store.take(holding.connector.id, slot, owner, leaseMs).catch(() => undefined);
      }
    })().finally(() => (this.keeping = undefined));
  }

  /** One round; overlapping calls share it. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.round ??= this.renew().finally(() => (this.round = undefined));
    return this.round;
  }

  private async renew(): Promise<void> {
    const { store, owner, leaseMs } = this.options;
    const startedAt = this.now();
    try {
      const members = await store.present(owner, leaseMs);
      for (const holding of this.holdings.values()) {
        const { id, slots } = holding.connector;
        for (const slot of [...holding.held]) {
          if (!(await store.take(id, slot, owner, leaseMs))) {
            holding.held.delete(slot);
            holding.releasing.delete(slot);
          }
        }
        const share = Math.ceil(slots / members);
        const keep = [...holding.held].filter((slot) => !holding.releasing.has(slot)).sort((a, b) => a - b);
        if (keep.length > share) {
          for (const slot of keep.slice(share)) holding.releasing.add(slot);
        } else {
          for (let slot = 0; slot < slots && holding.held.size - holding.releasing.size < share; slot++) {
            if (!holding.held.has(slot) && (await store.take(id, slot, owner, leaseMs))) holding.held.add(slot);
          }
        }
        holding.elsewhere = (await store.holders(id, slots)).some((holder) => holder !== undefined && holder !== owner);
        this.settle(holding);
      }
      this.lastRenewed = startedAt;
    } catch (error: unknown) {
      this.options.failed?.(error);
      // Leases not renewed for a whole lease may be held elsewhere now: close everything until the store is back.
      if (this.now() - this.lastRenewed >= leaseMs) {
        for (const holding of this.holdings.values()) {
          holding.held.clear();
          holding.releasing.clear();
          this.settle(holding);
        }
      }
    }
  }

  /** Puts the held slots in force (queued per connector), then gives up those being released. */
  private settle(holding: Holding): void {
    const open = [...holding.held].filter((slot) => !holding.releasing.has(slot)).sort((a, b) => a - b);
    const key = open.join(',');
    if (key === holding.applied && holding.releasing.size === 0) return;
    holding.applied = key;
    const releasing = [...holding.releasing];
    const { id } = holding.connector;
    holding.chain = holding.chain
      .then(() => this.options.apply(id, open))
      .then(async () => {
        for (const slot of releasing) {
          if (!holding.releasing.delete(slot)) continue;
          holding.held.delete(slot);
          await this.options.store.release(id, slot, this.options.owner);
        }
      })
      .catch((error: unknown) => this.options.failed?.(error));
  }
}
