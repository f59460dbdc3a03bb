/**
 * One modem: finds its port by identity, runs the start-up sequence, sends parts, takes inbound messages and
 * status reports, and recovers. Down on port close, port error or a command timeout; then re-found by IMEI
 * (or ICCID) among the configured paths and scan patterns, whatever tty it now has, re-initialised and up
 * again. After `softResetAfter` consecutive failures the profile's soft reset command is sent first.
 * Stored messages are deleted (AT+CMGD) only after the sink's promise resolved.
 */
import { buildSubmitPdus, decodeTpdu, Reassembler, type DecodedTpdu, type ReassembledMessage, type SmsStatusReport, type SubmitPdu } from '../codec/index.ts';
import type { InboundMessage, LinkHealth, PartOutcome, Receipt, SendRequest } from '../transport/index.ts';
import { AtChannel, type Urc } from './at-channel.ts';
import type { ModemConfig, ModemPoolConfig } from './config.ts';
import { modemError, type ModemError } from './errors.ts';
import { isModemError } from './is-modem-error.ts';
import type { PortCandidate } from './port-scan.ts';
import { GENERIC_PROFILE, type ModemProfile } from './profiles.ts';
import { DailyCounter, RateWindow } from './rate-window.ts';
import { ReceiptTracker } from './receipt-tracker.ts';
import { parseCmglIndex, parseCsq, parseRegistration, parseStoredIndication } from './responses.ts';
import type { SerialOpener } from './serial-link.ts';
import { PIN_REJECTED, startUp, type ModemIdentity } from './start-up.ts';

export type ModemState = 'starting' | 'up' | 'down' | 'closed';

export interface ModemDeps {
  readonly open: SerialOpener;
  readonly scan: (patterns: readonly string[]) => Promise<PortCandidate[]>;
  readonly now: () => number;
  /** Devices held by modems of this process, so a rescan never probes a port already in use. */
  readonly claimed: Set<string>;
}

export interface ModemHooks {
  up(modem: Modem): void;
  down(modem: Modem, reason: string): void;
  receipt(receipt: Receipt): Promise<void>;
  inbound(message: InboundMessage): Promise<void>;
}

interface StoredLocation {
  readonly mem: string;
  readonly index: number;
}

/** Where the parts of a pending inbound message are, so they are deleted together once it is handed on. */
interface HeldGroup {
  readonly stored: StoredLocation[];
  direct: number;
}

const SIM_ERRORS = new Set(['MODEM_SIM_NOT_INSERTED', 'MODEM_SIM_PIN_REQUIRED', 'MODEM_SIM_PIN_WRONG', 'MODEM_SIM_PUK_REQUIRED', 'MODEM_SIM_FAILURE']);

/** How long a status report may precede the +CMGS of its part. */
const EARLY_REPORT_MS = 30_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function groupKey(originator: string, concat: { ref: number; refSize: number; total: number } | undefined): string | null {
  return concat === undefined || concat.total < 2 ? null : `${originator}\u0000${concat.refSize}\u0000${concat.ref}\u0000${concat.total}`;
}

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
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private sendChain: Promise<unknown> = Promise.resolve();
  private storageChain: Promise<unknown> = Promise.resolve();
  private readMem: string | null = null;
  private readonly busy = new Set<string>();
  private readonly held = new Map<string, HeldGroup>();
  private readonly tracker: ReceiptTracker;
  private readonly reassembler: Reassembler;
  private readonly rate: RateWindow;
  private readonly daily: DailyCounter;
  private readonly counters = {
    sent: 0,
    failed: 0,
    unknown: 0,
    received: 0,
    receipts: 0,
    receiptsUnmatched: 0,
    undecodable: 0,
    timeouts: 0,
    errors: 0,
    softResets: 0,
    reconnects: 0,
    startAttempts: 0,
    handOffFailures: 0,
  };
  private relistTimer: NodeJS.Timeout | undefined;
  /** The channel being initialised, so close() can end a start-up in progress. */
  private opening: AtChannel | null = null;
  /**
   * Reports that came before the +CMGS naming their TP-MR was read (a fast network, URCs interleaved with the
   * answer): kept briefly, one per TP-MR, and matched as soon as that TP-MR is recorded.
   */
  private readonly early = new Map<number, { readonly report: SmsStatusReport; readonly at: number }>();

  constructor(
    private readonly config: ModemConfig,
    private readonly pool: ModemPoolConfig,
    private readonly index: number,
    private readonly deps: ModemDeps,
    private readonly hooks: ModemHooks,
  ) {
    this.tracker = new ReceiptTracker(pool.receiptTtlMs);
    this.reassembler = new Reassembler({ timeoutMs: pool.reassemblyTimeoutMs });
    this.rate = new RateWindow(config.ratePerMinute ?? pool.ratePerMinute);
    this.daily = new DailyCounter(config.dailyCap ?? pool.dailyCap);
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

  fitsRate(parts: number): boolean {
    return this.rate.fits(parts, this.deps.now());
  }

  fitsCap(parts: number): boolean {
    return this.daily.fits(parts, this.deps.now());
  }

  /** Takes rate and cap room for a message at selection time, so concurrent sends never overbook a modem. */
  reserve(parts: number): void {
    const now = this.deps.now();
    this.rate.take(parts, now);
    this.daily.add(parts, now);
  }

  rateWaitMs(): number {
    return this.rate.waitMs(this.deps.now());
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
    const now = this.deps.now();
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
        sentToday: this.daily.sentToday(now),
        dailyCap: this.daily.cap,
        ratePerMinute: this.rate.perMinute,
        rateRoom: this.rate.room(now),
        ...this.counters,
        consecutiveFailures: this.failures,
        garbageBytes: this.channel?.stats().garbageBytes ?? 0,
        strayLines: this.channel?.stats().strayLines ?? 0,
        pendingReceipts: this.tracker.size,
        earlyReports: this.early.size,
        pendingInboundParts: this.reassembler.pending,
        lastError: this.lastError?.code ?? null,
        lastErrorMessage: this.lastError?.message ?? null,
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed()) return;
    this.state = 'closed';
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pollTimer);
    clearInterval(this.expiryTimer);
    clearTimeout(this.relistTimer);
    await this.sendChain;
    // Parts that came directly (+CMT) exist nowhere else: hand them on incomplete. Stored parts stay on the SIM.
    for (const message of this.reassembler.drain()) {
      const group = this.held.get(groupKey(message.originator, this.concatOf(message)) ?? '');
      if (group !== undefined && group.direct > 0) await this.handOn(message, []).catch(() => undefined);
    }
    const channel = this.channel;
    this.channel = null;
    if (channel !== null) await channel.close().catch(() => undefined);
    if (this.opening !== null) await this.opening.close().catch(() => undefined);
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
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connectLoop(), delay);
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
        channel = new AtChannel(await this.deps.open(candidate.path), {
          timeouts: this.pool.timeouts,
          promptTimeoutMs: this.pool.promptTimeoutMs,
        });
        this.opening = channel;
        if (this.closed()) {
          this.opening = null;
          await channel.close().catch(() => undefined);
          this.deps.claimed.delete(candidate.device);
          return;
        }
      } catch (error) {
        this.deps.claimed.delete(candidate.device);
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
          await channel.close().catch(() => undefined);
          this.deps.claimed.delete(candidate.device);
          return;
        }
        const hung = isModemError(error) && error.code === 'MODEM_TIMEOUT';
        if (hung) await this.failed(channel);
        await channel.close().catch(() => undefined);
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
    channel.onUrc((urc) => void this.onUrc(urc));
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
        sleep,
        now: this.deps.now,
      });
    } catch (error) {
      if (isModemError(error) && error.details[PIN_REJECTED] === true) this.pinRejected = true;
      throw error;
    }
    if (this.closed()) {
      await channel.close();
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
    this.readMem = result.profile.storage[0];
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
    void this.listStored();
  }

  private startTimers(indications: boolean): void {
    clearInterval(this.pollTimer);
    clearInterval(this.expiryTimer);
    const pollMs = this.pool.pollMs > 0 ? this.pool.pollMs : indications ? 0 : 30_000;
    if (pollMs > 0) {
      this.pollTimer = setInterval(() => void this.poll(indications), pollMs);
      this.pollTimer.unref();
    }
    this.expiryTimer = setInterval(() => void this.expireInbound(), Math.max(1000, Math.min(30_000, this.pool.reassemblyTimeoutMs / 4)));
    this.expiryTimer.unref();
  }

  /** A timeout or failed start counts towards the soft reset of a hung modem. */
  private async failed(channel: AtChannel): Promise<void> {
    this.failures += 1;
    this.counters.timeouts += 1;
    if (this.failures < this.pool.softResetAfter || channel.isClosed) return;
    this.failures = 0;
    this.counters.softResets += 1;
    await Promise.race([channel.run(this.profile.softReset).catch(() => undefined), sleep(2000)]);
  }

  private async goDown(reason: string, hung: boolean): Promise<void> {
    if (this.state === 'closed' || this.channel === null) return;
    const channel = this.channel;
    this.channel = null;
    const wasUp = this.state === 'up';
    this.state = 'down';
    clearInterval(this.pollTimer);
    if (hung) await this.failed(channel);
    await channel.close().catch(() => undefined);
    this.releaseClaim();
    this.readMem = null;
    // Stored parts not yet handed on will be listed again after the reconnect.
    this.busy.clear();
    this.counters.reconnects += 1;
    if (wasUp) this.hooks.down(this, reason);
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
      if (!indications) await this.listStored();
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

  // ---- sending ----

  private async sendParts(request: SendRequest, pdus: readonly SubmitPdu[]): Promise<PartOutcome[]> {
    const outcomes: PartOutcome[] = [];
    let broken: ModemError | null = null;
    for (const pdu of pdus) {
      const channel = this.channel;
      if (broken !== null || channel === null || this.state !== 'up') {
        const cause = broken ?? modemError('MODEM_DOWN', this.id, { modem: this.id });
        outcomes.push({ seq: pdu.seq, status: 'failed', error: modemError('MODEM_NOT_SENT', `part ${pdu.seq}: ${cause.message}`, { modem: this.id, seq: pdu.seq, reason: cause.code }) });
        this.counters.failed += 1;
        continue;
      }
      try {
        const mr = await channel.submitPdu(pdu.tpduLength, pdu.hex);
        const submittedAt = this.deps.now();
        const imei = this.imei ?? this.id;
        const carrierMessageId = `${imei}:${mr}:${submittedAt.toString(36)}`;
        if (request.receipt) {
          this.tracker.record(mr, { carrierMessageId, to: request.to, submittedAt });
          const early = this.early.get(mr);
          this.early.delete(mr);
          if (early !== undefined && submittedAt - early.at < EARLY_REPORT_MS) {
            void this.handleStatusReport(early.report).catch((error: unknown) => this.noteError(error));
          }
        }
        this.counters.sent += 1;
        this.failures = 0;
        outcomes.push({ seq: pdu.seq, status: 'submitted', carrierMessageId, via: this.id });
      } catch (error) {
        const e = isModemError(error) ? error : modemError('MODEM_PORT_CLOSED', String(error), {}, { cause: error });
        this.noteError(e);
        const written = e.details['written'] === true;
        const linkLost = e.code === 'MODEM_TIMEOUT' || e.code === 'MODEM_PORT_CLOSED' || e.code === 'MODEM_UNEXPECTED_REPLY' || e.code === 'MODEM_NO_PROMPT';
        if (written && (linkLost || e.details['uncertain'] === true)) {
          this.counters.unknown += 1;
          outcomes.push({
            seq: pdu.seq,
            status: 'unknown',
            error: modemError('MODEM_OUTCOME_UNKNOWN', `part ${pdu.seq} via ${this.id}: ${e.message}`, { modem: this.id, seq: pdu.seq, reason: e.code }, { cause: e }),
          });
        } else if (linkLost) {
          this.counters.failed += 1;
          outcomes.push({ seq: pdu.seq, status: 'failed', error: modemError('MODEM_NOT_SENT', `part ${pdu.seq}: ${e.message}`, { modem: this.id, seq: pdu.seq, reason: e.code }, { cause: e }) });
        } else {
          // The network or the modem refused this part: the next parts may still go.
          this.counters.failed += 1;
          outcomes.push({ seq: pdu.seq, status: 'failed', error: e });
        }
        if (linkLost) {
          broken = e;
          await this.goDown(`${e.code} while sending`, e.code === 'MODEM_TIMEOUT' || e.code === 'MODEM_NO_PROMPT');
        }
      }
    }
    return outcomes;
  }

  // ---- receiving ----

  private async onUrc(urc: Urc): Promise<void> {
    try {
      switch (urc.name) {
        case '+CMTI':
        case '+CDSI': {
          const at = parseStoredIndication(urc.text);
          if (at !== null) await this.readStored(at);
          return;
        }
        case '+CMT':
        case '+CDS':
          if (urc.pdu !== undefined) await this.handleDirect(urc.pdu);
          return;
        case '+CREG':
        case '+CEREG': {
          const stat = parseRegistration(urc.text, false);
          if (stat !== null) this.registration = stat;
          return;
        }
        default:
          return;
      }
    } catch (error) {
      this.noteError(error);
    }
  }

  /** Storage commands are chained so that selecting a memory (AT+CPMS) and using it are never interleaved. */
  private storage<T>(job: (channel: AtChannel) => Promise<T>): Promise<T> {
    const run = this.storageChain.then(async () => {
      const channel = this.channel;
      if (channel === null) throw modemError('MODEM_DOWN', this.id, { modem: this.id });
      return job(channel);
    });
    this.storageChain = run.catch(() => undefined);
    return run;
  }

  private async selectMem(channel: AtChannel, mem: string): Promise<void> {
    if (this.readMem === mem) return;
    await channel.run(`AT+CPMS="${mem}"`);
    this.readMem = mem;
  }

  private async listStored(): Promise<void> {
    const mem = this.profile.storage[0];
    const lines = await this.storage(async (channel) => {
      await this.selectMem(channel, mem);
      return channel.run('AT+CMGL=4');
    }).catch((error: unknown) => {
      this.noteError(error);
      return [];
    });
    for (const line of lines) {
      const index = parseCmglIndex(line.text);
      if (index !== null && line.pdu !== undefined) await this.handleStored({ mem, index }, line.pdu);
    }
  }

  private scheduleRelist(): void {
    if (this.relistTimer !== undefined || this.closed()) return;
    this.relistTimer = setTimeout(() => {
      this.relistTimer = undefined;
      if (this.state === 'up') void this.listStored();
    }, this.pool.reconnect.initialMs);
  }

  private async readStored(at: StoredLocation): Promise<void> {
    if (this.busy.has(`${at.mem}:${at.index}`)) return;
    const lines = await this.storage(async (channel) => {
      await this.selectMem(channel, at.mem);
      return channel.run(`AT+CMGR=${at.index}`);
    });
    const pdu = lines.find((l) => l.pdu !== undefined)?.pdu;
    if (pdu !== undefined) await this.handleStored(at, pdu);
  }

  private async deleteStored(at: StoredLocation): Promise<void> {
    await this.storage(async (channel) => {
      await this.selectMem(channel, at.mem);
      await channel.run(`AT+CMGD=${at.index}`);
    });
    this.busy.delete(`${at.mem}:${at.index}`);
  }

  private decode(pdu: string): DecodedTpdu | null {
    try {
      return decodeTpdu(pdu, { withSmsc: true, direction: 'mt' });
    } catch (error) {
      this.counters.undecodable += 1;
      this.lastError = modemError('MODEM_PDU_UNDECODABLE', error instanceof Error ? error.message : String(error), { pdu }, { cause: error });
      return null;
    }
  }

  private async handleStored(at: StoredLocation, pdu: string): Promise<void> {
    const key = `${at.mem}:${at.index}`;
    if (this.busy.has(key)) return;
    this.busy.add(key);
    // An undecodable message stays in storage (marked busy) rather than being deleted unread.
    const tpdu = this.decode(pdu);
    if (tpdu === null) return;
    try {
      if (tpdu.type === 'status-report') {
        await this.handleStatusReport(tpdu);
        await this.deleteStored(at);
      } else if (tpdu.type === 'deliver') {
        await this.takePart(tpdu, at);
      } else {
        this.busy.delete(key);
      }
    } catch (error) {
      // Left in storage and listed again later: nothing is deleted before it was handed on.
      this.busy.delete(key);
      this.counters.handOffFailures += 1;
      this.noteError(error);
      this.scheduleRelist();
    }
  }

  private async handleDirect(pdu: string): Promise<void> {
    const tpdu = this.decode(pdu);
    if (tpdu === null) return;
    if (tpdu.type === 'status-report') await this.handleStatusReport(tpdu);
    else if (tpdu.type === 'deliver') await this.takePart(tpdu, null);
    const channel = this.channel;
    if (this.profile.ackDirect && channel !== null) await channel.run('AT+CNMA');
  }

  private async handleStatusReport(report: SmsStatusReport): Promise<void> {
    const now = this.deps.now();
    const match = this.tracker.match(report.messageReference, report.recipient.value, report.status.final, now);
    if (!match.matched) {
      if (match.reason === 'unknown-reference' && !this.early.has(report.messageReference)) {
        this.early.set(report.messageReference, { report, at: now });
        return;
      }
      this.counters.receiptsUnmatched += 1;
      return;
    }
    this.counters.receipts += 1;
    await this.hooks.receipt({
      connectorId: this.pool.id,
      carrierMessageId: match.part.carrierMessageId,
      state: report.status.state,
      final: report.status.final,
      raw: { tpStatus: report.status.value, text: report.status.description },
      submittedAt: report.scts.date,
      doneAt: report.discharge.date,
      receivedAt: new Date(now),
    });
  }

  private concatOf(message: ReassembledMessage): { ref: number; refSize: number; total: number } | undefined {
    return message.ref === undefined || message.refSize === undefined ? undefined : { ref: message.ref, refSize: message.refSize, total: message.total };
  }

  private async takePart(deliver: Extract<DecodedTpdu, { type: 'deliver' }>, at: StoredLocation | null): Promise<void> {
    const originator = deliver.originator.value;
    const data = deliver.userData;
    const key = groupKey(originator, data.concat);
    if (key !== null) {
      const group = this.held.get(key) ?? { stored: [], direct: 0 };
      if (at === null) group.direct += 1;
      else group.stored.push(at);
      this.held.set(key, group);
    }
    const result = this.reassembler.add(
      {
        originator,
        destination: this.config.msisdn ?? '',
        ...(data.concat === undefined ? {} : { concat: data.concat }),
        encoding: data.encoding,
        text: data.text,
        ...(data.encoding === 'binary' ? { binary: data.payload } : {}),
      },
      this.deps.now(),
    );
    for (const evicted of result.evicted) await this.releaseMessage(evicted);
    if (result.duplicate && at !== null) {
      // The same part stored twice: the copy goes once the message is handed on, with the others.
      return;
    }
    if (result.message !== undefined) await this.releaseMessage(result.message, key === null && at !== null ? [at] : undefined);
  }

  /** Hands a finished (or timed-out) message on and then deletes its stored parts. */
  private releaseMessage(message: ReassembledMessage, single?: StoredLocation[]): Promise<void> {
    const key = groupKey(message.originator, this.concatOf(message));
    const group = key === null ? undefined : this.held.get(key);
    if (key !== null) this.held.delete(key);
    const stored = single ?? group?.stored ?? [];
    return this.handOn(message, stored).catch((error: unknown) => {
      // Not handed on: every stored part stays on the SIM and is read again by the next listing.
      for (const at of stored) this.busy.delete(`${at.mem}:${at.index}`);
      this.scheduleRelist();
      throw error;
    });
  }

  private async handOn(message: ReassembledMessage, stored: readonly StoredLocation[]): Promise<void> {
    await this.hooks.inbound({
      connectorId: this.pool.id,
      from: message.originator,
      to: message.destination,
      text: message.text,
      encoding: message.encoding,
      ...(message.binary === undefined ? {} : { binary: message.binary }),
      parts: message.total,
      complete: message.complete,
      receivedAt: new Date(this.deps.now()),
    });
    this.counters.received += 1;
    for (const at of stored) await this.deleteStored(at);
  }

  private async expireInbound(): Promise<void> {
    for (const message of this.reassembler.expire(this.deps.now())) {
      await this.releaseMessage(message).catch((error: unknown) => this.noteError(error));
    }
  }
}

/** The PDUs of a request, or the codec's refusal. Part numbers outside `onlyParts` are left out. */
export function submitPdus(request: SendRequest): SubmitPdu[] {
  const pdus = buildSubmitPdus(request.encoded, {
    to: request.to,
    srr: request.receipt,
    ...(request.validitySeconds === undefined ? {} : { validityMinutes: Math.max(5, Math.ceil(request.validitySeconds / 60)) }),
    ...(request.flash === true ? { flash: true } : {}),
  });
  return request.onlyParts === undefined ? pdus : pdus.filter((p) => request.onlyParts?.includes(p.seq));
}
