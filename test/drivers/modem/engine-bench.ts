/**
 * The modem driver against the virtual modem's engine with no pty and no real time: one manual clock drives the
 * pool's timers (command timeouts, back-off, poll) and the engine's, and an in-memory serial link carries the
 * bytes. `advance(ms)` runs whatever falls due in time order and lets promises and bytes settle after each
 * step, so a test follows a hung modem for hours in milliseconds and never sleeps.
 */
import { ModemPool } from '../../../drivers/modem/index.ts';
import type { PortCandidate } from '../../../drivers/modem/port-scan.ts';
import type { SerialLink } from '../../../drivers/modem/serial-link.ts';
import type { DriverSink, Receipt } from '../../../drivers/transport/index.ts';
import { applyBehaviour, HAPPY_BEHAVIOUR, type BehaviourPatch } from '../../../simulator/modem/behaviour.ts';
import { buildIdentity, type IdentityOptions } from '../../../simulator/modem/identity.ts';
import { ModemEngine } from '../../../simulator/modem/modem-engine.ts';
import { ManualClock } from '../../support/manual-clock.ts';

/** One serial line between the driver and a device; bytes cross it asynchronously, as through a tty. */
class MemoryLink implements SerialLink {
  closed = false;
  private readonly dataListeners: ((chunk: Uint8Array) => void)[] = [];
  private readonly closeListeners: ((reason: string) => void)[] = [];

  constructor(private readonly toDevice: (data: string) => void) {}

  write(data: Uint8Array | string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('EIO: closed'));
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
    queueMicrotask(() => {
      if (!this.closed) this.toDevice(text);
    });
    return Promise.resolve();
  }

  fromDevice(text: string): void {
    queueMicrotask(() => {
      if (this.closed) return;
      const chunk = Buffer.from(text, 'latin1');
      for (const listener of this.dataListeners) listener(chunk);
    });
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  hangUp(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(reason);
  }

  close(): Promise<void> {
    this.hangUp('closed by driver');
    return Promise.resolve();
  }
}

/** A virtual modem at a path: its engine, whether it is plugged in, and the line the driver has open to it. */
export class EngineDevice {
  readonly engine: ModemEngine;
  plugged = true;
  /** Opens asked of this device so far. */
  opens = 0;
  /** While set, an open does not settle until `releaseOpen` (a USB device that wedges in open()). */
  stallOpens = false;
  private stalled: (() => void)[] = [];
  private link: MemoryLink | null = null;

  constructor(
    readonly path: string,
    clock: ManualClock,
    identity: IdentityOptions,
    behaviour: BehaviourPatch = {},
  ) {
    this.engine = new ModemEngine(buildIdentity(identity, () => 0.5), applyBehaviour(HAPPY_BEHAVIOUR, behaviour), {
      write: (data) => this.link?.fromDevice(data),
      schedule: (ms, task) => clock.schedule(ms, task),
      now: () => new Date(clock.now),
      random: () => 0.5,
    });
    this.engine.powerOn();
  }

  open(): Promise<SerialLink> {
    this.opens += 1;
    if (this.stallOpens) return new Promise<void>((resolve) => this.stalled.push(resolve)).then(() => this.openNow());
    return this.openNow();
  }

  /** Lets the stalled opens finish (each then opens the line, as a late driver call would). */
  releaseOpen(): void {
    this.stallOpens = false;
    for (const resolve of this.stalled.splice(0)) resolve();
  }

  /** Whether a line to the device is open now. */
  get lineOpen(): boolean {
    return this.link !== null && !this.link.closed;
  }

  private openNow(): Promise<SerialLink> {
    if (!this.plugged) return Promise.reject(new Error(`ENOENT: ${this.path}`));
    if (this.link !== null && !this.link.closed) return Promise.reject(new Error(`EBUSY: ${this.path} is locked`));
    const link = new MemoryLink((data) => this.engine.receive(data));
    this.link = link;
    return Promise.resolve(link);
  }

  unplug(): void {
    this.plugged = false;
    this.engine.powerOff();
    this.link?.hangUp('unplugged');
  }

  replug(): void {
    this.plugged = true;
    this.engine.powerOn();
  }
}

export class EngineBench {
  readonly clock = new ManualClock();
  readonly devices = new Map<string, EngineDevice>();
  readonly events: string[] = [];
  readonly receipts: Receipt[] = [];
  private readonly pools: ModemPool[] = [];

  readonly sink: DriverSink = {
    receipt: (receipt) => {
      this.receipts.push(receipt);
      return Promise.resolve();
    },
    inbound: () => Promise.resolve(),
  };

  device(name: string, identity: IdentityOptions, behaviour: BehaviourPatch = {}): EngineDevice {
    const device = new EngineDevice(`/virtual/${name}`, this.clock, identity, behaviour);
    this.devices.set(device.path, device);
    return device;
  }

  /** A started pool over the devices, recording its up / down events; `config` overrides the test defaults. */
  async pool(config: Record<string, unknown>): Promise<ModemPool> {
    const pool = new ModemPool(
      {
        id: 'bench-modems',
        scan: ['/virtual/*'],
        pollMs: 0,
        registrationWaitMs: 0,
        ratePerMinute: 600,
        reconnect: { initialMs: 1000, maxMs: 8000 },
        timeouts: { default: 3000 },
        promptTimeoutMs: 3000,
        ...config,
      },
      {
        open: (path) => this.devices.get(path)?.open() ?? Promise.reject(new Error(`ENOENT: ${path}`)),
        scan: (patterns) => Promise.resolve(this.scan(patterns)),
        now: () => this.clock.now,
        schedule: this.clock.schedule,
      },
    );
    pool.on('up', (id) => this.events.push(`up ${id}`));
    pool.on('down', (id) => this.events.push(`down ${id}`));
    this.pools.push(pool);
    await pool.start(this.sink);
    return pool;
  }

  private scan(patterns: readonly string[]): PortCandidate[] {
    const wanted = (path: string): boolean => patterns.some((p) => p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1))));
    return [...this.devices.values()].filter((d) => d.plugged && wanted(d.path)).map((d) => ({ path: d.path, device: d.path }));
  }

  async tearDown(): Promise<void> {
    let closed = false;
    const closing = Promise.allSettled(this.pools.splice(0).map((p) => p.close())).then(() => {
      closed = true;
    });
    // Closing waits for sends and port closes that may be waiting on the clock.
    for (let i = 0; i < 100 && !closed; i++) await this.clock.advance(1000);
    await closing;
    for (const device of this.devices.values()) device.engine.close();
  }
}
