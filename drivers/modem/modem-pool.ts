/**
 * Several modems as one connector behind the Driver interface. Each message goes whole through one modem,
 * in part order, chosen by the selection strategy among the modems that are up, have room in their
 * messages-per-minute window and under their SIM's daily cap.
 *
 * Nothing waits inside the pool: when no modem can take a message now (all down or hung, at their rate limit
 * or daily cap) every part comes back at once `failed` with a retriable code, and the gateway keeps the message
 * queued. `up` / `down` follow each modem, and `health().up` is true while at least one modem is up.
 * The parts of a message left over after a modem went away are resent only through that same modem (the SIM
 * the recipient's phone reassembles them from); until it is back they come back retriable (`MODEM_DOWN`).
 */
import { EventEmitter } from 'node:events';
import type { SubmitPdu } from '../codec/index.ts';
import type { Driver, DriverEvents, DriverHealth, DriverSink, PartOutcome, SendRequest, SendResult } from '../transport/index.ts';
import { parseModemPoolConfig, type ModemPoolConfig } from './config.ts';
import { isCodedError, RecentMap, type CodedError } from '../../common/index.ts';
import { modemError } from './errors.ts';
import { Modem } from './modem.ts';
import { submitPdus } from './part-outcomes.ts';
import { openSerialPort } from './node-serial-port.ts';
import { scanPorts, type PortCandidate } from './port-scan.ts';
import { selectModem } from './select-modem.ts';
import type { SerialOpener } from './serial-link.ts';
import { realSchedule, type Schedule } from './timers.ts';

export interface ModemPoolOptions {
  /** Opens a port; default the `serialport` package. */
  readonly open?: SerialOpener;
  /** Lists candidate ports for patterns; default the file-system scan. */
  readonly scan?: (patterns: readonly string[]) => Promise<PortCandidate[]>;
  readonly now?: () => number;
  /** Timers (command timeouts, back-off, poll); default real time. Give it with `now` for a manual clock. */
  readonly schedule?: Schedule;
}

/** How many messages with parts still to resend through the modem that carried their first parts are remembered. */
const CARRIED_BY_CAPACITY = 10_000;

export class ModemPool implements Driver {
  readonly id: string;
  readonly kind = 'modem' as const;
  readonly config: ModemPoolConfig;
  private readonly modems: Modem[];
  private readonly emitter = new EventEmitter();
  private sink: DriverSink | null = null;
  private lastIndex = -1;
  private closing = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Message id -> index of the modem that sent (or may have sent) some of its parts while others are still to go. */
  private readonly carriedBy = new RecentMap<string, number>(CARRIED_BY_CAPACITY);
  private readonly counters = { messages: 0, partsSubmitted: 0, partsFailed: 0, partsUnknown: 0, onNet: 0, rateLimited: 0, capped: 0, noModem: 0 };

  constructor(input: unknown, options: ModemPoolOptions = {}) {
    this.config = parseModemPoolConfig(input);
    this.id = this.config.id;
    const baudRate = this.config.baudRate;
    const deps = {
      open: options.open ?? ((path: string) => openSerialPort(path, baudRate)),
      scan: options.scan ?? scanPorts,
      now: options.now ?? Date.now,
      schedule: options.schedule ?? realSchedule,
      claimed: new Set<string>(),
    };
    this.modems = this.config.modems.map(
      (modemConfig, index) =>
        new Modem(modemConfig, this.config, index, deps, {
          up: (modem) => this.emitter.emit('up', modem.id),
          down: (modem, reason) => this.emitter.emit('down', modem.id, reason),
          receipt: (receipt) => this.requireSink().receipt(receipt),
          inbound: (message) => this.requireSink().inbound(message),
        }),
    );
  }

  start(sink: DriverSink): Promise<void> {
    this.sink = sink;
    for (const modem of this.modems) modem.start();
    return Promise.resolve();
  }

  send(request: SendRequest): Promise<SendResult> {
    const run = this.dispatch(request);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  health(): DriverHealth {
    const links = this.modems.map((m) => m.health());
    return {
      connectorId: this.id,
      kind: 'modem',
      up: this.modems.some((m) => m.isUp),
      links,
      counters: { ...this.counters, modemsUp: this.modems.filter((m) => m.isUp).length, modems: this.modems.length },
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
    await Promise.all(this.modems.map((m) => m.close()));
  }

  on<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    this.emitter.on(event, listener);
    return this;
  }

  off<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    this.emitter.off(event, listener);
    return this;
  }

  private requireSink(): DriverSink {
    // Modems start only from start(sink), so a message never arrives before the sink exists.
    if (this.sink === null) throw modemError('MODEM_CLOSED', 'no sink: the pool was not started');
    return this.sink;
  }

  private async dispatch(request: SendRequest): Promise<SendResult> {
    const seqs = request.encoded.parts.map((p) => p.seq).filter((seq) => request.onlyParts?.includes(seq) ?? true);
    const failAll = (error: CodedError): SendResult => {
      this.counters.partsFailed += seqs.length;
      return { connectorId: this.id, parts: seqs.map((seq): PartOutcome => ({ seq, status: 'failed', error })) };
    };
    if (this.closing) return failAll(modemError('MODEM_CLOSED', this.id));
    let pdus: SubmitPdu[];
    try {
      pdus = submitPdus(request);
    } catch (error) {
      // The codec's refusal (bad address, bad option) is final and names the field.
      return failAll(isCodedError(error) ? error : modemError('MODEM_NOT_SENT', String(error), {}, { cause: error }));
    }
    this.counters.messages += 1;
    const earlier = this.carriedBy.get(request.messageId);
    if (earlier !== undefined) {
      const refusal = this.refusalOf(earlier, pdus.length);
      if (refusal !== null) return failAll(refusal);
      return this.sendVia(earlier, request, pdus);
    }
    const candidates = this.modems.map((m) => ({
      id: m.id,
      up: m.isUp,
      rateOk: m.budget.fitsRate(pdus.length),
      capOk: m.budget.fitsCap(pdus.length),
      carriers: m.carriers,
    }));
    const selection = selectModem(candidates, this.config.strategy, request.carrier, this.lastIndex);
    if (!selection.ok || selection.index === undefined) {
      const reason = selection.ok ? 'none-up' : selection.reason;
      if (reason === 'rate-limited') {
        this.counters.rateLimited += 1;
        this.emitter.emit('throttled', this.ratePerSecond());
        return failAll(modemError('MODEM_RATE_LIMITED', `every modem is at its limit; next slot in ${this.nextSlotMs()} ms`, { retryInMs: this.nextSlotMs() }));
      }
      if (reason === 'daily-cap') {
        this.counters.capped += 1;
        const retryInMs = this.modems[0]?.budget.capResetInMs() ?? 0;
        return failAll(modemError('MODEM_DAILY_CAP_REACHED', `every SIM that is up reached its daily cap; counts start again in ${retryInMs} ms`, { retryInMs }));
      }
      this.counters.noModem += 1;
      return failAll(modemError('MODEM_NO_MODEM_AVAILABLE', `none of the ${this.modems.length} modems is up`, { modems: this.modems.length }));
    }
    this.lastIndex = selection.index;
    if (selection.onNet) this.counters.onNet += 1;
    return this.sendVia(selection.index, request, pdus);
  }

  /** Why the modem at `index` cannot take `parts` parts now (each a retriable error), or null when it can. */
  private refusalOf(index: number, parts: number): CodedError | null {
    const modem = this.modems[index];
    const carried = 'the modem that carried the earlier parts of this message';
    if (modem === undefined || !modem.isUp) {
      this.counters.noModem += 1;
      return modemError('MODEM_DOWN', `${carried} (${modem?.id ?? index}) is not up`, { modem: modem?.id ?? null });
    }
    if (!modem.budget.fitsRate(parts)) {
      this.counters.rateLimited += 1;
      return modemError('MODEM_RATE_LIMITED', `${carried} is at its limit`, { modem: modem.id, retryInMs: modem.budget.rateWaitMs() });
    }
    if (!modem.budget.fitsCap(parts)) {
      this.counters.capped += 1;
      return modemError('MODEM_DAILY_CAP_REACHED', `${carried} reached its daily cap`, { modem: modem.id, retryInMs: modem.budget.capResetInMs() });
    }
    return null;
  }

  private async sendVia(index: number, request: SendRequest, pdus: readonly SubmitPdu[]): Promise<SendResult> {
    const modem = this.modems[index];
    if (modem === undefined) throw new Error(`no modem at index ${index}`);
    modem.budget.reserve(pdus.length);
    const parts = await modem.send(request, pdus);
    for (const part of parts) {
      if (part.status === 'submitted') this.counters.partsSubmitted += 1;
      else if (part.status === 'failed') this.counters.partsFailed += 1;
      else this.counters.partsUnknown += 1;
    }
    // Parts left to resend after some went (or may have gone) out stay with this modem's SIM.
    const went = parts.some((p) => p.status !== 'failed');
    const left = parts.some((p) => p.status === 'failed' && p.error.retriable);
    if (left && (went || this.carriedBy.has(request.messageId))) this.carriedBy.set(request.messageId, index);
    else this.carriedBy.delete(request.messageId);
    return { connectorId: this.id, parts };
  }

  /** The pool's sustainable pace: the sum of the up modems' limits. */
  private ratePerSecond(): number {
    return this.modems.filter((m) => m.isUp).reduce((sum, m) => sum + m.budget.ratePerMinute / 60, 0);
  }

  private nextSlotMs(): number {
    return Math.min(...this.modems.filter((m) => m.isUp).map((m) => m.budget.rateWaitMs()));
  }
}
