/**
 * One modem: finds its port by identity, runs the start-up sequence, sends parts, takes inbound messages and
 * status reports, and recovers. Down on port close, port error or a command timeout; then re-found by IMEI
 * (or ICCID) among the configured paths and scan patterns, whatever tty it now has, re-initialised and up
 * again. After `softResetAfter` consecutive failures the profile's soft reset command is sent first.
 * What it receives is handled by `ModemInbound`; how a part's submit is judged by `part-outcomes.ts`; rate and cap
 * room by `SendBudget`. Over 400 lines because the rest is one state machine (starting, up, down, closed) whose
 * connect, start-up, recovery and close steps all change the same fields; split, each file would reach into them.
 */
import type { SubmitPdu } from '../codec/index.ts';
import type { InboundMessage, LinkHealth, PartOutcome, Receipt, SendRequest } from '../transport/index.ts';
import { AtChannel, type Urc } from './at-channel.ts';
import { ModemInbound } from './modem-inbound.ts';
import type { ModemConfig, ModemPoolConfig } from './config.ts';
import { modemError, type ModemError } from './errors.ts';
import { isModemError } from './is-modem-error.ts';
import type { PortCandidate } from './port-scan.ts';
import { GENERIC_PROFILE, type ModemProfile } from './profiles.ts';
import { SendBudget } from './rate-window.ts';
import { parseCsq, parseRegistration } from '../at-protocol/index.ts';
import { judgeFailure, notSent, submitOn } from './part-outcomes.ts';
import { openPortWithin } from './port-open.ts';
import type { SerialLink, SerialOpener } from './serial-link.ts';
import { startUp, type ModemIdentity } from './start-up.ts';
import { every, settleWithin, sleepOn, type Cancel, type Schedule } from './timers.ts';

export type ModemState = 'starting' | 'up' | 'down' | 'closed';

export interface ModemDeps {
  readonly open: SerialOpener;
  readonly scan: (patterns: readonly string[]) => Promise<PortCandidate[]>;
  readonly now: () => number;
  /** Every timer of the modem (command timeouts, back-off, soft reset wait, poll) goes through this clock. */
  readonly schedule: Schedule;
  /** Devices held by modems of this process, so a rescan never probes a port already in use. */
  readonly claimed: Set<string>;
}

export interface ModemHooks {
  up(modem: Modem): void;
  down(modem: Modem, reason: string): void;
  receipt(receipt: Receipt): Promise<void>;
  inbound(message: InboundMessage): Promise<void>;
}

const SIM_ERRORS = new Set(['MODEM_SIM_NOT_INSERTED', 'MODEM_SIM_PIN_REQUIRED', 'MODEM_SIM_PIN_WRONG', 'MODEM_SIM_PUK_REQUIRED', 'MODEM_SIM_FAILURE']);

/** How long the soft reset command may take before the port is closed anyway. */
const SOFT_RESET_WAIT_MS = 2000;
/** Opening or closing a wedged USB device can block; past this the attempt counts as failed and the loop goes on. */
const PORT_WAIT_MS = 10_000;

export class Modem {
  state: ModemState = 'starting';
  private channel: AtChannel | null = null;
  private device: string | null = null;
  private path: string | null = null;
  private usbId: string | null = null;
  private identity: ModemIdentity | null = null;
  private profile: ModemProfile = GENERIC_PROFILE;
  private operator: string | null = null;
  private registration: number | null = null;
  private rssi: number | null = null;
  private dbm: number | null = null;
  private lastError: ModemError | null = null;
  private pinRejected = false;
  private failures = 0;
  private attempts = 0;
  private reconnectTimer: Cancel | undefined;
  private pollTimer: Cancel | undefined;
  private expiryTimer: Cancel | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private sendChain: Promise<unknown> = Promise.resolve();
  private readonly inbound: ModemInbound;
  /** Rate and daily cap room, which the pool checks and reserves when it chooses this modem. */
  readonly budget: SendBudget;
  private readonly counters = {
    sent: 0,
    failed: 0,
    unknown: 0,
    timeouts: 0,
    errors: 0,
    softResets: 0,
    reconnects: 0,
    startAttempts: 0,
  };
  /** The channel being initialised, so close() can end a start-up in progress. */
  private opening: AtChannel | null = null;

  constructor(
    private readonly config: ModemConfig,
    private readonly pool: ModemPoolConfig,
    private readonly index: number,
    private readonly deps: ModemDeps,
    private readonly hooks: ModemHooks,
  ) {
    this.inbound = new ModemInbound({
      connectorId: pool.id,
      msisdn: config.msisdn,
      receiptTtlMs: pool.receiptTtlMs,
      reassemblyTimeoutMs: pool.reassemblyTimeoutMs,
      relistDelayMs: pool.reconnect.initialMs,
      now: deps.now,
      schedule: deps.schedule,
      channel: () => (this.state === 'up' ? this.channel : null),
      profile: () => this.profile,
      noteError: (error) => this.noteError(error),
      receipt: (receipt) => hooks.receipt(receipt),
      inbound: (message) => hooks.inbound(message),
    });
    this.budget = new SendBudget(config.ratePerMinute ?? pool.ratePerMinute, config.dailyCap ?? pool.dailyCap, deps.now);
    this.sleep = sleepOn(deps.schedule);
  }

  /** Named by IMEI once known (never by tty path), or by the configured id. */
  get id(): string {
    return this.config.id ?? this.config.imei ?? this.identity?.imei ?? `modem-${this.index + 1}`;
  }

  get imei(): string | null {
    return this.identity?.imei ?? this.config.imei ?? null;
  }

  private closed(): boolean {
    return this.state === 'closed';
  }

  get isUp(): boolean {
    return this.state === 'up';
  }

  /** The SIM's carrier names: the network name from AT+COPS? and configured aliases. */
  get carriers(): string[] {
    return [...(this.operator === null ? [] : [this.operator]), ...this.config.carriers];
  }

  start(): void {
    void this.connectLoop();
  }

  /** Every part in order through this modem; a part with an unknown outcome is reported as such. */
  send(request: SendRequest, pdus: readonly SubmitPdu[]): Promise<PartOutcome[]> {
    const run = this.sendChain.then(() => this.sendParts(request, pdus));
    this.sendChain = run.catch(() => undefined);
    return run;
  }

  health(): LinkHealth {
    return {
      id: this.id,
      up: this.state === 'up',
      detail: {
        state: this.state,
        imei: this.imei,
        iccid: this.identity?.iccid ?? this.config.iccid ?? null,
        imsi: this.identity?.imsi ?? null,
        manufacturer: this.identity?.manufacturer ?? null,
        model: this.identity?.model ?? null,
        profile: this.profile.name,
        path: this.path,
        usbId: this.usbId,
        operator: this.operator,
        registration: this.registration,
        rssi: this.rssi,
        signalDbm: this.dbm,
        ...this.budget.detail(),
        ...this.counters,
        ...this.inbound.counters,
        ...this.inbound.stats(),
        consecutiveFailures: this.failures,
        garbageBytes: this.channel?.stats().garbageBytes ?? 0,
        strayLines: this.channel?.stats().strayLines ?? 0,
        lastError: this.lastError?.code ?? null,
        lastErrorMessage: this.lastError?.message ?? null,
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed()) return;
    this.state = 'closed';
    this.stopTimers();
    this.reconnectTimer?.();
    await this.sendChain;
    await this.inbound.close();
    const channel = this.channel;
    this.channel = null;
    if (channel !== null) await this.closeChannel(channel);
    if (this.opening !== null) await this.closeChannel(this.opening);
    this.releaseClaim();
  }

  // ---- connection and recovery ----

  private async connectLoop(): Promise<void> {
    if (this.closed()) return;
    this.counters.startAttempts += 1;
    try {
      await this.connect();
    } catch (error) {
      if (this.closed()) return;
      this.lastError = isModemError(error) ? error : modemError('MODEM_PORT_OPEN_FAILED', String(error), {}, { cause: error });
      this.state = 'down';
      this.scheduleReconnect(SIM_ERRORS.has(this.lastError.code));
    }
  }

  private scheduleReconnect(slow: boolean): void {
    if (this.closed()) return;
    const { initialMs, maxMs } = this.pool.reconnect;
    const delay = slow ? maxMs : Math.min(maxMs, initialMs * 2 ** Math.min(this.attempts, 16));
    this.attempts += 1;
    this.reconnectTimer?.();
    this.reconnectTimer = this.deps.schedule(delay, () => void this.connectLoop());
  }

  private openPort(path: string, device: string): Promise<SerialLink> {
    return openPortWithin({ open: this.deps.open, schedule: this.deps.schedule, claimed: this.deps.claimed }, path, device, PORT_WAIT_MS);
  }

  /** Closes a channel, waiting at most PORT_WAIT_MS: a wedged device must not stop the reconnect loop. */
  private closeChannel(channel: AtChannel): Promise<void> {
    return settleWithin(this.deps.schedule, channel.close(), PORT_WAIT_MS);
  }

  private async candidates(): Promise<PortCandidate[]> {
    const known = this.imei !== null || this.config.iccid !== undefined;
    const first = [this.path, this.config.path].filter((p): p is string => p !== null && p !== undefined);
    const patterns = known ? [...first, ...this.pool.scan] : first;
    return this.deps.scan(patterns);
  }

  private async connect(): Promise<void> {
    const candidates = await this.candidates();
    let mismatch: ModemError | null = null;
    for (const candidate of candidates) {
      if (this.closed()) return;
      if (this.deps.claimed.has(candidate.device)) continue;
      this.deps.claimed.add(candidate.device);
      let channel: AtChannel;
      try {
        channel = new AtChannel(await this.openPort(candidate.path, candidate.device), {
          timeouts: this.pool.timeouts,
          promptTimeoutMs: this.pool.promptTimeoutMs,
          schedule: this.deps.schedule,
        });
        this.opening = channel;
        if (this.closed()) {
          this.opening = null;
          await this.closeChannel(channel);
          this.deps.claimed.delete(candidate.device);
          return;
        }
      } catch (error) {
        // An open still pending keeps its claim; openPort releases it when that open settles.
        if (!(isModemError(error) && error.facts.stillOpening === true)) this.deps.claimed.delete(candidate.device);
        this.lastError = isModemError(error) ? error : modemError('MODEM_PORT_OPEN_FAILED', String(error), { path: candidate.path });
        continue;
      }
      try {
        await this.initialise(channel, candidate);
        this.opening = null;
        return;
      } catch (error) {
        this.opening = null;
        if (this.closed()) {
          await this.closeChannel(channel);
          this.deps.claimed.delete(candidate.device);
          return;
        }
        const hung = isModemError(error) && error.code === 'MODEM_TIMEOUT';
        if (hung) await this.failed(channel);
        await this.closeChannel(channel);
        this.deps.claimed.delete(candidate.device);
        if (isModemError(error) && error.code === 'MODEM_IDENTITY_MISMATCH') {
          mismatch = error;
          continue;
        }
        throw error;
      }
    }
    throw mismatch ?? modemError('MODEM_NOT_FOUND', this.imei ?? this.config.path ?? this.id, { imei: this.imei, path: this.config.path ?? null });
  }

  private async initialise(channel: AtChannel, candidate: PortCandidate): Promise<void> {
    channel.onUrc((urc) => this.onUrc(urc));
    const expectImei = this.config.imei ?? this.identity?.imei;
    let result;
    try {
      result = await startUp(channel, {
        ...(expectImei === undefined ? {} : { expectImei }),
        ...(this.config.iccid === undefined ? {} : { expectIccid: this.config.iccid }),
        ...(this.config.pin === undefined ? {} : { pin: this.config.pin }),
        ...(this.config.profile === undefined ? {} : { profile: this.config.profile }),
        pinRejected: this.pinRejected,
        quirks: this.config.quirks,
        registrationWaitMs: this.pool.registrationWaitMs,
        sleep: this.sleep,
        now: this.deps.now,
      });
    } catch (error) {
      if (isModemError(error) && error.facts.pinRejected === true) this.pinRejected = true;
      throw error;
    }
    if (this.closed()) {
      await this.closeChannel(channel);
      return;
    }
    this.identity = result.identity;
    this.profile = result.profile;
    this.operator = result.operator;
    this.registration = result.registration ?? result.epsRegistration;
    this.rssi = result.rssi;
    this.dbm = result.dbm;
    this.channel = channel;
    this.device = candidate.device;
    this.path = candidate.path;
    this.usbId = candidate.usbId ?? null;
    this.inbound.linkUp(result.profile.storage[0]);
    this.failures = 0;
    this.attempts = 0;
    this.lastError = null;
    channel.onClose((reason) => {
      if (this.channel === channel) void this.goDown(reason, false);
    });
    if (channel.isClosed) {
      void this.goDown('port closed during start-up', false);
      return;
    }
    this.state = 'up';
    this.startTimers(result.indications);
    this.hooks.up(this);
    // Messages that arrived while we were away, or before a crash, wait in storage.
    void this.inbound.listStored();
  }

  private startTimers(indications: boolean): void {
    this.stopTimers();
    const pollMs = this.pool.pollMs > 0 ? this.pool.pollMs : indications ? 0 : 30_000;
    if (pollMs > 0) this.pollTimer = every(this.deps.schedule, pollMs, () => this.poll(indications));
    this.expiryTimer = every(this.deps.schedule, Math.max(1000, Math.min(30_000, this.pool.reassemblyTimeoutMs / 4)), () => this.inbound.expire());
  }

  private stopTimers(): void {
    this.pollTimer?.();
    this.expiryTimer?.();
    this.pollTimer = undefined;
    this.expiryTimer = undefined;
  }

  /** A timeout or failed start counts towards the soft reset of a hung modem. */
  private async failed(channel: AtChannel): Promise<void> {
    this.failures += 1;
    this.counters.timeouts += 1;
    if (this.failures < this.pool.softResetAfter || channel.isClosed) return;
    this.failures = 0;
    this.counters.softResets += 1;
    await settleWithin(this.deps.schedule, channel.run(this.profile.softReset), SOFT_RESET_WAIT_MS);
  }

  /**
   * Down at once (state and event before anything slow), then the soft reset when it is due, the port closed,
   * and the search for the modem scheduled: it is probed again and again with back-off until it answers.
   */
  private async goDown(reason: string, hung: boolean): Promise<void> {
    if (this.state === 'closed' || this.channel === null) return;
    const channel = this.channel;
    this.channel = null;
    const wasUp = this.state === 'up';
    this.state = 'down';
    this.pollTimer?.();
    this.pollTimer = undefined;
    this.inbound.linkLost();
    this.counters.reconnects += 1;
    if (wasUp) this.hooks.down(this, reason);
    if (hung) await this.failed(channel);
    await this.closeChannel(channel);
    this.releaseClaim();
    this.scheduleReconnect(false);
  }

  private releaseClaim(): void {
    if (this.device !== null) this.deps.claimed.delete(this.device);
    this.device = null;
  }

  private async poll(indications: boolean): Promise<void> {
    const channel = this.channel;
    if (channel === null || this.state !== 'up') return;
    try {
      const signal = parseCsq(await channel.run('AT+CSQ'));
      this.rssi = signal.rssi;
      this.dbm = signal.dbm;
      const line = (await channel.run('AT+CREG?')).find((l) => l.text.toUpperCase().startsWith('+CREG'));
      if (line !== undefined) this.registration = parseRegistration(line.text, true);
      if (!indications) await this.inbound.listStored();
      this.failures = 0;
    } catch (error) {
      this.noteError(error);
    }
  }

  private noteError(error: unknown): void {
    this.counters.errors += 1;
    if (!isModemError(error)) return;
    this.lastError = error;
    // A command that got no answer means the modem (or its USB link) is hung: start over.
    if (error.code === 'MODEM_TIMEOUT' && this.state === 'up') void this.goDown(`timeout: ${error.message}`, true);
  }

  private onUrc(urc: Urc): void {
    if (this.inbound.handles(urc)) return;
    if (urc.name === '+CREG' || urc.name === '+CEREG') {
      const stat = parseRegistration(urc.text, false);
      if (stat !== null) this.registration = stat;
    }
  }

  // ---- sending ----

  private async sendParts(request: SendRequest, pdus: readonly SubmitPdu[]): Promise<PartOutcome[]> {
    const outcomes: PartOutcome[] = [];
    let broken: ModemError | null = null;
    for (const pdu of pdus) {
      const channel = this.channel;
      if (broken !== null || channel === null || this.state !== 'up') {
        outcomes.push(notSent(broken ?? modemError('MODEM_DOWN', this.id, { modem: this.id }), pdu.seq, this.id));
        this.counters.failed += 1;
        continue;
      }
      const result = await submitOn(channel, pdu);
      if (result.ok) {
        const { mr } = result;
        const submittedAt = this.deps.now();
        const imei = this.imei ?? this.id;
        const carrierMessageId = `${imei}:${mr}:${submittedAt.toString(36)}`;
        if (request.receipt) this.inbound.partSent(mr, { carrierMessageId, to: request.to, submittedAt });
        this.counters.sent += 1;
        this.failures = 0;
        outcomes.push({ seq: pdu.seq, status: 'submitted', carrierMessageId, via: this.id });
      } else {
        const { error } = result.failure;
        this.noteError(error);
        const judged = judgeFailure(result.failure, pdu.seq, this.id);
        this.counters[judged.outcome.status === 'unknown' ? 'unknown' : 'failed'] += 1;
        outcomes.push(judged.outcome);
        if (judged.linkLost) {
          broken = error;
          await this.goDown(`${error.code} while sending`, error.code === 'MODEM_TIMEOUT' || error.code === 'MODEM_NO_PROMPT');
        }
      }
    }
    return outcomes;
  }
}
