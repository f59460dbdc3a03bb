/**
 * What a modem receives: deliveries (+CMTI then AT+CMGR, direct +CMT, AT+CMGL at start-up) reassembled and
 * handed to the sink, then deleted from storage (AT+CMGD) only once the sink's promise resolved; status reports
 * (+CDS, or +CDSI then AT+CMGR) matched to the sent part by TP-MR and handed on as receipts.
 * Storage commands are chained so that selecting a memory (AT+CPMS) and using it are never interleaved.
 */
import { decodeTpdu, Reassembler, type DecodedTpdu, type ReassembledMessage, type SmsStatusReport } from '../codec/index.ts';
import type { InboundMessage, Receipt } from '../transport/index.ts';
import type { AtChannel, Urc } from './at-channel.ts';
import { modemError } from './errors.ts';
import type { ModemProfile } from './profiles.ts';
import { ReceiptTracker, type TrackedPart } from './receipt-tracker.ts';
import { parseCmglIndex, parseStoredIndication } from '../at-protocol/index.ts';
import type { Cancel, Schedule } from './timers.ts';

export interface InboundContext {
  readonly connectorId: string;
  /** The SIM's number, given as the destination of inbound messages. */
  readonly msisdn: string | undefined;
  readonly receiptTtlMs: number;
  readonly reassemblyTimeoutMs: number;
  /** Pause before storage is listed again after the sink refused something. */
  readonly relistDelayMs: number;
  now(): number;
  readonly schedule: Schedule;
  /** The open channel while the modem is up, else null. */
  channel(): AtChannel | null;
  profile(): ModemProfile;
  noteError(error: unknown): void;
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

/** How long a status report may precede the +CMGS of its part. */
const EARLY_REPORT_MS = 30_000;

function groupKey(originator: string, concat: { ref: number; refSize: number; total: number } | undefined): string | null {
  return concat === undefined || concat.total < 2 ? null : `${originator}\u0000${concat.refSize}\u0000${concat.ref}\u0000${concat.total}`;
}

function concatOf(message: ReassembledMessage): { ref: number; refSize: number; total: number } | undefined {
  return message.ref === undefined || message.refSize === undefined ? undefined : { ref: message.ref, refSize: message.refSize, total: message.total };
}

export class ModemInbound {
  readonly counters = { received: 0, receipts: 0, receiptsUnmatched: 0, undecodable: 0, handOffFailures: 0 };
  private storageChain: Promise<unknown> = Promise.resolve();
  private readMem: string | null = null;
  private readonly busy = new Set<string>();
  private readonly held = new Map<string, HeldGroup>();
  private readonly tracker: ReceiptTracker;
  private readonly reassembler: Reassembler;
  private relistTimer: Cancel | undefined;
  private closed = false;
  /**
   * Reports that came before the +CMGS naming their TP-MR was read (a fast network, URCs interleaved with the
   * answer): kept briefly, one per TP-MR, and matched as soon as that TP-MR is recorded.
   */
  private readonly early = new Map<number, { readonly report: SmsStatusReport; readonly at: number }>();

  constructor(private readonly ctx: InboundContext) {
    this.tracker = new ReceiptTracker(ctx.receiptTtlMs);
    this.reassembler = new Reassembler({ timeoutMs: ctx.reassemblyTimeoutMs });
  }

  stats(): { pendingReceipts: number; earlyReports: number; pendingInboundParts: number } {
    return { pendingReceipts: this.tracker.size, earlyReports: this.early.size, pendingInboundParts: this.reassembler.pending };
  }

  /** After start-up: the read memory the modem now has selected. */
  linkUp(readMem: string): void {
    this.readMem = readMem;
  }

  /** The link went away: stored parts not yet handed on are listed again after the reconnect. */
  linkLost(): void {
    this.readMem = null;
    this.busy.clear();
  }

  /** A part went out under `reference` and wants its status report. */
  partSent(reference: number, part: TrackedPart): void {
    this.tracker.record(reference, part);
    const early = this.early.get(reference);
    this.early.delete(reference);
    if (early !== undefined && part.submittedAt - early.at < EARLY_REPORT_MS) {
      void this.handleStatusReport(early.report).catch((error: unknown) => this.ctx.noteError(error));
    }
  }

  /** Handles the unsolicited codes about messages; false for any other code. */
  handles(urc: Urc): boolean {
    switch (urc.name) {
      case '+CMTI':
      case '+CDSI': {
        const at = parseStoredIndication(urc.text);
        if (at !== null) void this.readStored(at).catch((error: unknown) => this.ctx.noteError(error));
        return true;
      }
      case '+CMT':
      case '+CDS':
        if (urc.pdu !== undefined) void this.handleDirect(urc.pdu).catch((error: unknown) => this.ctx.noteError(error));
        return true;
      default:
        return false;
    }
  }

  /** Hands on, incomplete, what arrived directly (it exists nowhere else); stored parts stay on the SIM. */
  async close(): Promise<void> {
    this.closed = true;
    this.relistTimer?.();
    this.relistTimer = undefined;
    for (const message of this.reassembler.drain()) {
      const group = this.held.get(groupKey(message.originator, concatOf(message)) ?? '');
      if (group !== undefined && group.direct > 0) await this.handOn(message, []).catch(() => undefined);
    }
  }

  async expire(): Promise<void> {
    for (const message of this.reassembler.expire(this.ctx.now())) {
      await this.releaseMessage(message).catch((error: unknown) => this.ctx.noteError(error));
    }
  }

  /** Storage commands are chained so that selecting a memory (AT+CPMS) and using it are never interleaved. */
  private storage<T>(job: (channel: AtChannel) => Promise<T>): Promise<T> {
    const run = this.storageChain.then(async () => {
      const channel = this.ctx.channel();
      if (channel === null) throw modemError('MODEM_DOWN', 'storage needs the modem up');
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

  async listStored(): Promise<void> {
    const mem = this.ctx.profile().storage[0];
    const lines = await this.storage(async (channel) => {
      await this.selectMem(channel, mem);
      return channel.run('AT+CMGL=4');
    }).catch((error: unknown) => {
      this.ctx.noteError(error);
      return [];
    });
    for (const line of lines) {
      const index = parseCmglIndex(line.text);
      if (index !== null && line.pdu !== undefined) await this.handleStored({ mem, index }, line.pdu);
    }
  }

  private scheduleRelist(): void {
    if (this.relistTimer !== undefined || this.closed) return;
    this.relistTimer = this.ctx.schedule(this.ctx.relistDelayMs, () => {
      this.relistTimer = undefined;
      if (this.ctx.channel() !== null) void this.listStored();
    });
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
      this.ctx.noteError(modemError('MODEM_PDU_UNDECODABLE', error instanceof Error ? error.message : String(error), { pdu }, { cause: error }));
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
      this.ctx.noteError(error);
      this.scheduleRelist();
    }
  }

  private async handleDirect(pdu: string): Promise<void> {
    const tpdu = this.decode(pdu);
    if (tpdu === null) return;
    if (tpdu.type === 'status-report') await this.handleStatusReport(tpdu);
    else if (tpdu.type === 'deliver') await this.takePart(tpdu, null);
    const channel = this.ctx.channel();
    if (this.ctx.profile().ackDirect && channel !== null) await channel.run('AT+CNMA');
  }

  private async handleStatusReport(report: SmsStatusReport): Promise<void> {
    const now = this.ctx.now();
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
    await this.ctx.receipt({
      connectorId: this.ctx.connectorId,
      carrierMessageId: match.part.carrierMessageId,
      state: report.status.state,
      final: report.status.final,
      raw: { tpStatus: report.status.value, text: report.status.description },
      submittedAt: report.scts.date,
      doneAt: report.discharge.date,
      receivedAt: new Date(now),
    });
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
        destination: this.ctx.msisdn ?? '',
        ...(data.concat === undefined ? {} : { concat: data.concat }),
        encoding: data.encoding,
        text: data.text,
        ...(data.encoding === 'binary' ? { binary: data.payload } : {}),
      },
      this.ctx.now(),
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
    const key = groupKey(message.originator, concatOf(message));
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
    await this.ctx.inbound({
      connectorId: this.ctx.connectorId,
      from: message.originator,
      to: message.destination,
      text: message.text,
      encoding: message.encoding,
      ...(message.binary === undefined ? {} : { binary: message.binary }),
      parts: message.total,
      complete: message.complete,
      receivedAt: new Date(this.ctx.now()),
    });
    this.counters.received += 1;
    for (const at of stored) await this.deleteStored(at);
  }
}
