/**
 * A virtual USB modem on a real pseudo-terminal: the engine (AT brain) wired to a socat-made pty, with the
 * controls tests and people need: unplug / replug (the device path vanishes and comes back), behaviour
 * changes, inbound injection, and what it transmitted. Optionally serves the control API on 127.0.0.1.
 */
import type { FastifyInstance } from 'fastify';
import { applyBehaviour, HAPPY_BEHAVIOUR, scenarioBehaviour, type BehaviourPatch, type ModemBehaviour } from './behaviour.ts';
import { buildControlApp } from './control-server.ts';
import { modemSimError } from './errors.ts';
import { buildIdentity, type ModemIdentity } from './identity.ts';
import type { InboundMessage } from './inbound-pdus.ts';
import { ModemEngine } from './modem-engine.ts';
import type { InjectResult, StatusReportRecord } from './modem-network.ts';
import { PtyLink } from './pty-link.ts';
import type { VirtualModemHandle, VirtualModemOptions, VirtualModemStatus } from './modem-handle.ts';
import type { StorageName, StoredMessage } from './sms-storage.ts';
import type { TransmittedMessage, TransmittedPart } from './transmission-log.ts';

export async function startVirtualModem(options: VirtualModemOptions): Promise<VirtualModemHandle> {
  if (typeof options.path !== 'string' || options.path === '') {
    throw modemSimError('MODEMSIM_INVALID_OPTION', 'path is required', { field: 'path', value: options.path });
  }
  const port = options.controlPort;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw modemSimError('MODEMSIM_INVALID_OPTION', 'controlPort must be 0-65535', { field: 'controlPort', value: port });
  }
  const identity = buildIdentity(options, options.random);
  const base = options.scenario === undefined ? HAPPY_BEHAVIOUR : scenarioBehaviour(options.scenario);
  const behaviour = options.behaviour === undefined ? base : applyBehaviour(base, options.behaviour);
  const modem = new VirtualModem(options.path, identity, behaviour, options);
  try {
    await modem.start(port);
  } catch (error) {
    await modem.close();
    throw error;
  }
  return modem;
}

class VirtualModem implements VirtualModemHandle {
  readonly identity: ModemIdentity;
  controlPort?: number;
  readonly #engine: ModemEngine;
  #link: PtyLink;
  readonly #timers = new Set<NodeJS.Timeout>();
  #app: FastifyInstance | undefined;
  #flapTimer: NodeJS.Timeout | undefined;
  #flapGeneration = 0;
  #downByFlap = false;
  #transition: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(path: string, identity: ModemIdentity, behaviour: ModemBehaviour, options: VirtualModemOptions) {
    this.identity = identity;
    this.#engine = new ModemEngine(identity, behaviour, {
      write: (data) => this.#link.write(data),
      schedule: (ms, task) => {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          task();
        }, ms);
        this.#timers.add(timer);
        return () => {
          clearTimeout(timer);
          this.#timers.delete(timer);
        };
      },
      now: options.now ?? (() => new Date()),
      random: options.random ?? Math.random,
    });
    this.#link = this.#makeLink(path);
  }

  get path(): string {
    return this.#link.path;
  }

  #makeLink(path: string): PtyLink {
    return new PtyLink(path, {
      onData: (data) => this.#engine.receive(data),
      onUnexpectedExit: () => this.#engine.powerOff(),
    });
  }

  get plugged(): boolean {
    return this.#link.up && this.#engine.powered;
  }

  async start(port: number | undefined): Promise<void> {
    await this.#link.start();
    this.#engine.powerOn();
    this.#planFlap();
    if (port !== undefined) {
      this.#app = buildControlApp(this);
      await this.#app.listen({ host: '127.0.0.1', port });
      const address = this.#app.server.address();
      this.controlPort = typeof address === 'object' && address !== null ? address.port : port;
    }
  }

  unplug(): Promise<void> {
    return this.#serialize(async () => {
      this.#engine.powerOff();
      await this.#link.stop();
    });
  }

  replug(options: { readonly path?: string } = {}): Promise<void> {
    return this.#serialize(async () => {
      if (this.#closed) throw modemSimError('MODEMSIM_CLOSED');
      if (this.#link.up) {
        this.#engine.powerOff();
        await this.#link.stop();
      }
      if (options.path !== undefined && options.path !== this.#link.path) this.#link = this.#makeLink(options.path);
      await this.#link.start();
      this.#engine.powerOn();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#flapTimer !== undefined) clearTimeout(this.#flapTimer);
    await this.#transition.catch(() => undefined);
    this.#engine.close();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#app?.close();
    await this.#link.stop();
  }

  transmitted(): TransmittedMessage[] {
    return this.#engine.transmitted();
  }

  transmittedParts(): TransmittedPart[] {
    return this.#engine.transmittedParts();
  }

  async waitForTransmitted(count: number, timeoutMs = 10_000): Promise<TransmittedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const complete = this.transmitted().filter((message) => message.complete);
      if (complete.length >= count) return complete;
      if (Date.now() > deadline) {
        throw modemSimError('MODEMSIM_TIMEOUT', `waited ${timeoutMs} ms for ${count} messages, have ${complete.length}`, {
          field: 'count',
          value: count,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  clearTransmitted(): void {
    this.#engine.clearTransmitted();
  }

  statusReports(): StatusReportRecord[] {
    return this.#engine.statusReports();
  }

  injectInbound(message: InboundMessage): InjectResult {
    return this.#engine.injectInbound(message);
  }

  setBehaviour(patch: BehaviourPatch): ModemBehaviour {
    const next = this.#engine.setBehaviour(patch);
    if (patch.flapping !== undefined) this.#planFlap();
    return next;
  }

  setScenario(name: string): ModemBehaviour {
    const scenario = scenarioBehaviour(name);
    return this.setBehaviour({ ...scenario });
  }

  behaviour(): ModemBehaviour {
    return this.#engine.behaviour;
  }

  stored(storage: StorageName): StoredMessage[] {
    return this.#engine.storedMessages(storage);
  }

  status(): VirtualModemStatus {
    const stats = this.#engine.stats();
    return {
      path: this.path,
      plugged: this.plugged,
      identity: this.identity,
      behaviour: this.#engine.behaviour,
      sim: this.#engine.sim.status,
      registration: this.#engine.registrationStat(),
      ...stats,
    };
  }

  /** Unplug and replug one at a time, in call order. */
  #serialize(task: () => Promise<void>): Promise<void> {
    const next = this.#transition.then(task, task);
    this.#transition = next.catch(() => undefined);
    return next;
  }

  /**
   * The flapping behaviour: present for upMs, gone for downMs, again and again. A change of behaviour starts a new
   * generation, so timers of the old one do nothing; a device that flapping left unplugged comes back when it stops.
   */
  #planFlap(): void {
    this.#flapGeneration += 1;
    const generation = this.#flapGeneration;
    if (this.#flapTimer !== undefined) clearTimeout(this.#flapTimer);
    this.#flapTimer = undefined;
    const flapping = this.#engine.behaviour.flapping;
    const current = (): boolean => generation === this.#flapGeneration && !this.#closed;
    if (flapping === null || this.#closed) {
      if (this.#downByFlap && !this.#closed) {
        this.#downByFlap = false;
        void this.replug().catch(() => undefined);
      }
      return;
    }
    const cycle = (): void => {
      this.#flapTimer = setTimeout(() => {
        if (!current()) return;
        this.#downByFlap = true;
        void this.unplug().then(() => {
          if (!current()) return;
          this.#flapTimer = setTimeout(() => {
            if (!current()) return;
            this.#downByFlap = false;
            void this.replug().then(() => {
              if (current()) cycle();
            }, () => undefined);
          }, flapping.downMs);
        });
      }, flapping.upMs);
    };
    cycle();
  }
}
