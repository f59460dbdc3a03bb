/**
 * The virtual modem's brain, without I/O: characters from the serial line in, bytes for the line out through an
 * injected `write`, timers through an injected `schedule`, the clock through `now`. It frames responses as
 * TS 27.007 clause 4.1 / V.250 with ATV1 do (`\r\n<info>\r\n` ... `\r\nOK\r\n`), echoes until ATE0, runs chained
 * commands, holds a `> ` prompt for AT+CMGS, decodes and records every SMS-SUBMIT, answers status reports after a
 * delay, delivers injected messages as +CMTI / +CMT and status reports as +CDS / +CDSI according to AT+CNMI, and
 * keeps what the "network" holds while the modem cannot receive.
 */
import { cms, DteReader, failureLine, parseCommandLine, textTimestamp } from '../../drivers/at-protocol/index.ts';
import { buildStatusReportPdu } from '../../drivers/codec/index.ts';
import { applyBehaviour, REGISTRATION_STAT, type BehaviourPatch, type ModemBehaviour } from './behaviour.ts';
import { commandTable, runCommand } from './command-set.ts';
import { textForCharset } from './sms-commands.ts';
import { DEVICE_PROFILES, type DeviceProfile } from './device-profiles.ts';
import { modemSimError } from './errors.ts';
import type { ModemIdentity } from './identity.ts';
import { inboundPdus, type DeliverPdu, type InboundMessage } from './inbound-pdus.ts';
import { fail, ok, type ModemContext, type ModemSettings, type Outcome } from './modem-context.ts';
import { SimCard } from './sim-card.ts';
import { SmsStorage, type StorageName, type StoredMessage } from './sms-storage.ts';
import { pduSubmission, textSubmission, type Submission, type SubmissionResult } from './submission.ts';
import { TransmissionLog, type TransmittedMessage, type TransmittedPart } from './transmission-log.ts';

export type Cancel = () => void;

export interface EngineDeps {
  /** Bytes for the serial line (AT traffic is ASCII; each char is one byte). */
  readonly write: (data: string) => void;
  readonly schedule: (ms: number, task: () => void) => Cancel;
  readonly now: () => Date;
  readonly random: () => number;
}

export interface InjectResult {
  readonly parts: number;
  /** Parts handed to the modem now (the rest wait in the network until the modem can receive). */
  readonly delivered: number;
  readonly pdus: readonly string[];
}

export interface StatusReportRecord {
  readonly mr: number;
  readonly to: string;
  readonly status: number;
  readonly at: string;
  /** How it reached the line: +CDS, +CDSI (stored), or discarded because AT+CNMI <ds> was 0. */
  readonly via: 'cds' | 'cdsi' | 'discarded';
}

/** Network-side events waiting for the modem to be able to receive them. */
type Pending = { readonly kind: 'deliver'; readonly pdu: DeliverPdu; readonly from: string; readonly scts: Date; readonly flash: boolean } | {
  readonly kind: 'report';
  readonly mr: number;
  readonly to: string;
  readonly submittedAt: Date;
  readonly status: number;
};

const DEFAULT_STATUS: Readonly<Record<'delivered' | 'failed' | 'expired', number>> = { delivered: 0x00, failed: 0x41, expired: 0x46 };

export class ModemEngine implements ModemContext {
  readonly identity: ModemIdentity;
  readonly profile: DeviceProfile;
  readonly sim: SimCard;
  settings: ModemSettings;
  smsc: string;

  readonly #deps: EngineDeps;
  readonly #table;
  readonly #reader = new DteReader();
  readonly #storages: Record<StorageName, SmsStorage>;
  readonly #log = new TransmissionLog();
  readonly #reports: StatusReportRecord[] = [];
  readonly #network: Pending[] = [];
  readonly #timers = new Set<Cancel>();
  #behaviour: ModemBehaviour;
  #powered = false;
  #phase: 'idle' | 'executing' | 'input' = 'idle';
  #pendingInput: ((data: string) => Outcome) | undefined;
  #input = '';
  #pumping = false;
  #urcQueue: string[] = [];
  #nextMr = 0;
  #sendAttempts = 0;
  #sendFailures = 0;
  #concatRef = 0;
  #lastStat = -1;
  #attached = true;
  #garbageTimer: Cancel | undefined;
  #garbagePending = false;
  #closed = false;

  constructor(identity: ModemIdentity, behaviour: ModemBehaviour, deps: EngineDeps) {
    this.identity = identity;
    this.profile = DEVICE_PROFILES[identity.profile];
    this.#behaviour = behaviour;
    this.#deps = deps;
    this.#table = commandTable(this);
    this.sim = new SimCard(behaviour.sim, behaviour.pin, behaviour.puk);
    this.smsc = identity.carrier.smsc;
    this.#storages = {
      SM: new SmsStorage('SM', this.profile.capacity.SM, this.profile.firstIndex),
      ME: new SmsStorage('ME', this.profile.capacity.ME, this.profile.firstIndex),
      SR: new SmsStorage('SR', this.profile.capacity.SR, this.profile.firstIndex),
    };
    this.settings = this.#powerOnSettings();
  }

  get behaviour(): ModemBehaviour {
    return this.#behaviour;
  }

  get powered(): boolean {
    return this.#powered;
  }

  // ---- power and control ------------------------------------------------------------------------------

  /** The device appears (plugged in): power-on settings, SIM asks for its PIN again. */
  powerOn(): void {
    this.#assertOpen();
    this.#powered = true;
    this.settings = this.#powerOnSettings();
    this.sim.powerOn();
    this.#reader.reset();
    this.#phase = 'idle';
    this.#pendingInput = undefined;
    this.#input = '';
    this.#urcQueue = [];
    const attachDelay = this.#behaviour.attachDelayMs;
    this.#attached = attachDelay === 0;
    if (!this.#attached) {
      this.#timer(attachDelay, () => {
        if (!this.#powered) return;
        this.#attached = true;
        this.#afterStateChange();
      });
    }
    this.#lastStat = this.registrationStat();
    this.#scheduleGarbage();
    this.#afterStateChange();
  }

  /** The device disappears: whatever was half done is lost; the network keeps what it has not delivered. */
  powerOff(): void {
    this.#powered = false;
    this.#phase = 'idle';
    this.#pendingInput = undefined;
    this.#input = '';
    this.#urcQueue = [];
    this.#garbageTimer?.();
    this.#garbageTimer = undefined;
  }

  close(): void {
    this.powerOff();
    this.#closed = true;
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }

  setBehaviour(patch: BehaviourPatch): ModemBehaviour {
    const next = applyBehaviour(this.#behaviour, patch);
    const simChanged = patch.sim !== undefined || patch.pin !== undefined || patch.puk !== undefined;
    this.#behaviour = next;
    if (simChanged) this.sim.setCondition(next.sim, next.pin, next.puk);
    if (patch.garbage !== undefined && this.#powered) this.#scheduleGarbage();
    this.#afterStateChange();
    return next;
  }

  transmitted(): TransmittedMessage[] {
    return this.#log.messages();
  }

  transmittedParts(): TransmittedPart[] {
    return this.#log.parts();
  }

  statusReports(): StatusReportRecord[] {
    return [...this.#reports];
  }

  clearTransmitted(): void {
    this.#log.clear();
    this.#reports.length = 0;
  }

  stats(): { sendAttempts: number; sendFailures: number; heldByNetwork: number; storage: Record<StorageName, number> } {
    return {
      sendAttempts: this.#sendAttempts,
      sendFailures: this.#sendFailures,
      heldByNetwork: this.#network.length,
      storage: { SM: this.#storages.SM.used, ME: this.#storages.ME.used, SR: this.#storages.SR.used },
    };
  }

  storedMessages(name: StorageName): StoredMessage[] {
    return this.#storages[name].list();
  }

  /** Builds SMS-DELIVER parts for `message` and hands them to the modem as the network would. */
  injectInbound(message: InboundMessage): InjectResult {
    this.#assertOpen();
    const ordered = inboundPdus(message, {
      concatRef: (this.#concatRef = (this.#concatRef + 1) & 0xff),
      smsc: this.smsc,
      scts: this.#deps.now(),
      tzQuarterHours: this.identity.carrier.tzQuarterHours,
    });
    const scts = this.#deps.now();
    for (const pdu of ordered) this.#network.push({ kind: 'deliver', pdu, from: message.from, scts, flash: message.flash === true });
    this.#drainNetwork();
    // The network delivers in order, so whatever is still held includes the newest parts first.
    const delivered = ordered.length - Math.min(this.#network.length, ordered.length);
    return { parts: ordered.length, delivered, pdus: ordered.map((pdu) => pdu.hex) };
  }

  // ---- the serial line ---------------------------------------------------------------------------------

  /** Characters from the terminal side. */
  receive(data: string): void {
    if (!this.#powered) return;
    this.#input += data;
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#input.length > 0 && this.#phase !== 'executing' && this.#powered) {
        const ch = this.#input[0] as string;
        this.#input = this.#input.slice(1);
        const step = this.#reader.feed(ch);
        if (this.settings.echo && step.echo !== '' && !this.#behaviour.hung) this.#deps.write(step.echo);
        const event = step.event;
        if (event === undefined) continue;
        if (event.kind === 'command-line') this.#runLine(event.body);
        else if (event.kind === 'input-line-break') this.#deps.write('\r\n> ');
        else if (event.kind === 'input-cancelled') {
          this.#pendingInput = undefined;
          this.#finish('', ok());
        } else {
          const complete = this.#pendingInput;
          this.#pendingInput = undefined;
          this.#phase = 'executing';
          this.#finish('', complete === undefined ? fail(cms(500)) : complete(event.data));
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  #runLine(body: string): void {
    if (this.#behaviour.hung) {
      // Only a soft reset reaches a hung modem (and not a wedged one); everything else goes unanswered.
      if (this.#behaviour.hangSurvivesReset || !/^\s*(?:Z0?|\+CFUN=1,1)\s*$/i.test(body)) return;
      this.#behaviour = { ...this.#behaviour, hung: false };
    }
    this.#phase = 'executing';
    const parsed = parseCommandLine(body);
    if (!parsed.ok) {
      this.#finish('', fail({ kind: 'plain' }));
      return;
    }
    let info = '';
    for (const command of parsed.commands) {
      const outcome = runCommand(this.#table, command, this);
      if (outcome.kind === 'ok') {
        if (outcome.lines.length > 0) info += `\r\n${outcome.lines.join('\r\n')}\r\n`;
        continue;
      }
      if (outcome.kind === 'input') {
        this.#prompt(info, outcome);
        return;
      }
      this.#finish(info, outcome);
      return;
    }
    this.#finish(info, ok());
  }

  #prompt(info: string, outcome: Extract<Outcome, { kind: 'input' }>): void {
    this.#later(() => {
      // A modem that hung meanwhile gives no prompt, yet takes (and ignores) what the terminal types.
      if (!this.#behaviour.hung) this.#deps.write(`${info}\r\n> `);
      this.#pendingInput = outcome.complete;
      this.#reader.startInput(outcome.textMode);
      this.#phase = 'input';
      if (this.#behaviour.urcTiming === 'interleave') this.#flushUrcs();
      this.#pump();
    });
  }

  /** Writes the information text and the final result code, after the configured delay. */
  #finish(info: string, outcome: Outcome): void {
    this.#phase = 'executing';
    let text = info;
    if (outcome.kind === 'ok') {
      if (outcome.lines.length > 0) text += `\r\n${outcome.lines.join('\r\n')}\r\n`;
      text += '\r\nOK\r\n';
    } else if (outcome.kind === 'error') {
      text += `\r\n${failureLine(outcome.failure, this.settings.cmee)}\r\n`;
    }
    this.#later(() => {
      if (!this.#behaviour.hung) this.#deps.write(text);
      this.#phase = 'idle';
      if (this.#garbagePending) {
        this.#garbagePending = false;
        const garbage = this.#behaviour.garbage;
        if (garbage !== null && !this.#behaviour.hung) this.#deps.write(this.#noise(garbage.maxBytes));
      }
      this.#afterStateChange();
      this.#flushUrcs();
      this.#pump();
    });
  }

  /** Runs now when there is no response delay (keeps fast tests fast), else after it. */
  #later(task: () => void): void {
    const delay = this.#behaviour.responseDelayMs;
    if (delay === 0) {
      task();
      return;
    }
    const powered = this.#powered;
    this.#timer(delay, () => {
      if (this.#powered && powered) task();
    });
  }

  #timer(ms: number, task: () => void): void {
    const cancel = this.#deps.schedule(ms, () => {
      this.#timers.delete(cancel);
      task();
    });
    this.#timers.add(cancel);
  }

  // ---- unsolicited result codes --------------------------------------------------------------------------

  #urc(text: string): void {
    const framed = `\r\n${text}\r\n`;
    const mode = this.settings.cnmi[0];
    if (this.#behaviour.hung) {
      this.#urcQueue.push(framed);
      return;
    }
    if (this.#behaviour.urcTiming === 'interleave' || (this.#phase === 'idle' && mode !== 0)) {
      this.#deps.write(framed);
      return;
    }
    // Mode 1 discards what arrives while the line is busy; 0 and 2/3 hold it for later.
    if (mode === 1) return;
    this.#urcQueue.push(framed);
  }

  #flushUrcs(): void {
    if (this.#behaviour.hung) return;
    if (this.settings.cnmi[0] === 0 && this.#behaviour.urcTiming !== 'interleave') return;
    const queued = this.#urcQueue;
    this.#urcQueue = [];
    for (const text of queued) this.#deps.write(text);
  }

  cnmiChanged(): void {
    // bfr 1 clears what the TA held in mode 0; bfr 0 flushes it (after this command's OK).
    if (this.settings.cnmi[4] === 1) this.#urcQueue = [];
  }

  // ---- network state -------------------------------------------------------------------------------------

  registrationStat(): number {
    if (this.settings.cfun !== 1 || this.sim.status !== 'ready') return 0;
    const stat = REGISTRATION_STAT[this.#behaviour.registration];
    return !this.#attached && (stat === 1 || stat === 5) ? REGISTRATION_STAT.searching : stat;
  }

  signal(): { rssi: number; ber: number } {
    if (this.settings.cfun !== 1) return { rssi: 99, ber: 99 };
    return { ...this.#behaviour.signal };
  }

  #canReceive(): boolean {
    const stat = this.registrationStat();
    return this.#powered && (stat === 1 || stat === 5);
  }

  #afterStateChange(): void {
    if (!this.#powered) return;
    const stat = this.registrationStat();
    if (stat !== this.#lastStat) {
      this.#lastStat = stat;
      if (this.settings.creg > 0) this.#urc(`+CREG: ${stat}`);
      if (this.settings.cereg > 0 && this.profile.supportsCereg) this.#urc(`+CEREG: ${stat}`);
    }
    this.#drainNetwork();
  }

  #drainNetwork(): void {
    while (this.#network.length > 0 && this.#canReceive()) {
      const next = this.#network[0] as Pending;
      const handled = next.kind === 'deliver' ? this.#receiveDeliver(next) : this.#receiveReport(next);
      if (!handled) return;
      this.#network.shift();
    }
  }

  /** TS 27.005 clause 3.4.1 <mt>: 2 routes class 0/1/none directly (+CMT), 3 only class 3; the rest is stored. */
  #receiveDeliver(pending: Extract<Pending, { kind: 'deliver' }>): boolean {
    const mt = this.settings.cnmi[1];
    const { pdu } = pending;
    if (mt === 2) {
      if (this.settings.cmgf === 0) this.#urc(`+CMT: ,${pdu.tpduLength}\r\n${pdu.hex}`);
      else this.#urc(`+CMT: "${pending.from}",,"${this.#timestamp(pending.scts)}"\r\n${textForCharset(this, pdu.text)}`);
      return true;
    }
    const storageName = this.settings.cpms[2];
    const stored = this.#storages[storageName].store({
      stat: 0,
      pdu: pdu.hex,
      tpduLength: pdu.tpduLength,
      address: pending.from,
      timestamp: this.#timestamp(pending.scts),
      text: pdu.text,
      kind: 'deliver',
    });
    // Memory full: the network keeps the message and tries again later (TS 23.040 memory capacity exceeded).
    if (stored === undefined) return false;
    if (mt > 0) this.#urc(`+CMTI: "${storageName}",${stored.index}`);
    return true;
  }

  /** TS 27.005 clause 3.4.1 <ds>: 1 +CDS directly, 2 stored with +CDSI, 0 none. */
  #receiveReport(pending: Extract<Pending, { kind: 'report' }>): boolean {
    const ds = this.settings.cnmi[3];
    const now = this.#deps.now();
    const record = (via: StatusReportRecord['via']): true => {
      this.#reports.push({ mr: pending.mr, to: pending.to, status: pending.status, at: now.toISOString(), via });
      return true;
    };
    if (ds === 0) return record('discarded');
    const built = buildStatusReportPdu({
      messageReference: pending.mr,
      recipient: pending.to,
      scts: pending.submittedAt,
      discharge: now,
      status: pending.status,
      smsc: this.smsc,
      tzQuarterHours: this.identity.carrier.tzQuarterHours,
    });
    const pdu = { ...built, firstOctet: built.bytes[built.bytes.length - built.tpduLength] as number };
    if (ds === 1) {
      if (this.settings.cmgf === 0) this.#urc(`+CDS: ${pdu.tpduLength}\r\n${pdu.hex}`);
      else {
        const toa = pending.to.startsWith('+') ? 145 : 129;
        this.#urc(
          `+CDS: ${pdu.firstOctet},${pending.mr},"${pending.to}",${toa},"${this.#timestamp(pending.submittedAt)}","${this.#timestamp(now)}",${pending.status}`,
        );
      }
      return record('cds');
    }
    const stored = this.#storages.SR.store({
      stat: 0,
      pdu: pdu.hex,
      tpduLength: pdu.tpduLength,
      address: pending.to,
      timestamp: this.#timestamp(pending.submittedAt),
      text: '',
      kind: 'status-report',
      report: { firstOctet: pdu.firstOctet, mr: pending.mr, dischargeTime: this.#timestamp(now), status: pending.status },
    });
    if (stored === undefined) return false;
    this.#urc(`+CDSI: "SR",${stored.index}`);
    return record('cdsi');
  }

  // ---- sending ---------------------------------------------------------------------------------------------

  submitPdu(length: number, data: string): Outcome {
    return this.#transmit(pduSubmission(length, data));
  }

  submitText(to: string, data: string): Outcome {
    return this.#transmit(textSubmission(to, data, this.settings));
  }

  #transmit(result: SubmissionResult): Outcome {
    if (!result.ok) return fail(result.failure);
    const part: Submission = result.submission;
    this.#sendAttempts += 1;
    if (this.settings.cfun !== 1) return fail(cms(331));
    const stat = this.registrationStat();
    if (stat !== 1 && stat !== 5) return fail(cms(331));
    const failure = this.#behaviour.sendFailure;
    if (failure !== null && this.#sendAttempts % failure.every === 0) {
      const code = failure.codes[this.#sendFailures % failure.codes.length] as number;
      this.#sendFailures += 1;
      return fail(cms(code));
    }
    const mr = this.#nextMr;
    this.#nextMr = (this.#nextMr + 1) & 0xff;
    const now = this.#deps.now();
    this.#log.record({ ...part, mr, at: now.toISOString() }, now.getTime());
    if (part.statusReportRequested) this.#scheduleStatusReport(mr, part.to, now);
    const hangIn = this.#behaviour.hangOnSubmit;
    if (hangIn !== null) {
      // The part is out on the network; the answer saying so never reaches the terminal.
      this.#behaviour = hangIn <= 1 ? { ...this.#behaviour, hung: true, hangOnSubmit: null } : { ...this.#behaviour, hangOnSubmit: hangIn - 1 };
    }
    return ok(`+CMGS: ${mr}`);
  }

  #scheduleStatusReport(mr: number, to: string, submittedAt: Date): void {
    const report = this.#behaviour.statusReport;
    if (report.outcome === 'none') return;
    const status = report.status ?? DEFAULT_STATUS[report.outcome];
    this.#timer(report.delayMs, () => {
      this.#network.push({ kind: 'report', mr, to, submittedAt, status });
      this.#drainNetwork();
    });
  }

  // ---- the rest of ModemContext ---------------------------------------------------------------------------

  storage(name: StorageName): SmsStorage {
    return this.#storages[name];
  }

  resetSettings(): void {
    this.settings = this.#powerOnSettings();
  }

  now(): Date {
    return this.#deps.now();
  }

  #powerOnSettings(): ModemSettings {
    return {
      echo: true,
      cmee: 0,
      cmgf: 0,
      cscs: 'GSM',
      cnmi: [...this.profile.cnmiAtPowerOn],
      cpms: ['SM', 'SM', 'SM'],
      creg: 0,
      cereg: 0,
      copsFormat: 0,
      cfun: 1,
      csmp: { fo: 17, vp: 167, pid: 0, dcs: 0 },
      csdh: 0,
    };
  }

  #timestamp(date: Date): string {
    return textTimestamp(date, this.identity.carrier.tzQuarterHours);
  }

  #scheduleGarbage(): void {
    this.#garbageTimer?.();
    this.#garbageTimer = undefined;
    const garbage = this.#behaviour.garbage;
    if (garbage === null || !this.#powered) return;
    const delay = Math.max(1, Math.round(-Math.log(1 - this.#deps.random()) * garbage.meanIntervalMs));
    const cancel = this.#deps.schedule(delay, () => {
      this.#timers.delete(cancel);
      this.#garbageTimer = undefined;
      // Noise goes between responses, never inside one: if the line is busy it follows the current response.
      if (this.#phase === 'idle' && this.#powered) this.#deps.write(this.#noise(garbage.maxBytes));
      else this.#garbagePending = true;
      this.#scheduleGarbage();
    });
    this.#timers.add(cancel);
    this.#garbageTimer = cancel;
  }

  #noise(maxBytes: number): string {
    const count = 1 + Math.floor(this.#deps.random() * maxBytes);
    let out = '';
    for (let i = 0; i < count; i += 1) out += String.fromCharCode(Math.floor(this.#deps.random() * 256));
    return out;
  }

  #assertOpen(): void {
    if (this.#closed) throw modemSimError('MODEMSIM_CLOSED');
  }
}

