/**
 * The virtual modem's brain, without I/O: characters from the serial line in, bytes for the line out through an
 * injected `write`, timers through an injected `schedule`, the clock through `now`. It frames responses as
 * TS 27.007 clause 4.1 / V.250 with ATV1 do (`\r\n<info>\r\n` ... `\r\nOK\r\n`), echoes until ATE0, runs chained
 * commands, holds a `> ` prompt for AT+CMGS, decodes and records every SMS-SUBMIT, and raises unsolicited codes as
 * AT+CNMI asks. What the network holds for the modem (injected messages, status reports) is `ModemNetwork`'s.
 * Over 400 lines because the serial line is one state machine (idle, executing, input; hung; powered) whose
 * prompt, result, URC and noise steps all read and change the same fields.
 */
import { cms, DteReader, failureLine, parseCommandLine } from '../../drivers/at-protocol/index.ts';
import { applyBehaviour, REGISTRATION_STAT, type BehaviourPatch, type ModemBehaviour } from './behaviour.ts';
import { commandTable, runCommand } from './command-set.ts';
import { DEVICE_PROFILES, type DeviceProfile } from './device-profiles.ts';
import { modemSimError } from './errors.ts';
import type { ModemIdentity } from './identity.ts';
import type { InboundMessage } from './inbound-pdus.ts';
import { fail, ok, powerOnSettings, type ModemContext, type ModemSettings, type Outcome } from './modem-context.ts';
import { ModemNetwork, type InjectResult, type StatusReportRecord } from './modem-network.ts';
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
  readonly #net: ModemNetwork;
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
    this.settings = powerOnSettings(this.profile);
    this.#net = new ModemNetwork({
      modem: this,
      canReceive: () => this.#canReceive(),
      urc: (text) => this.#urc(text),
      timer: (ms, task) => this.#timer(ms, task),
    });
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
    this.settings = powerOnSettings(this.profile);
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
    return this.#net.statusReports();
  }

  clearTransmitted(): void {
    this.#log.clear();
    this.#net.clearReports();
  }

  stats(): { sendAttempts: number; sendFailures: number; heldByNetwork: number; storage: Record<StorageName, number> } {
    return {
      sendAttempts: this.#sendAttempts,
      sendFailures: this.#sendFailures,
      heldByNetwork: this.#net.held,
      storage: { SM: this.#storages.SM.used, ME: this.#storages.ME.used, SR: this.#storages.SR.used },
    };
  }

  storedMessages(name: StorageName): StoredMessage[] {
    return this.#storages[name].list();
  }

  /** Builds SMS-DELIVER parts for `message` and hands them to the modem as the network would. */
  injectInbound(message: InboundMessage): InjectResult {
    this.#assertOpen();
    return this.#net.inject(message);
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
    this.#net.drain();
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
    if (part.statusReportRequested) this.#net.scheduleStatusReport(mr, part.to, now);
    const hangIn = this.#behaviour.hangOnSubmit;
    if (hangIn !== null) {
      // The part is out on the network; the answer saying so never reaches the terminal.
      this.#behaviour = hangIn <= 1 ? { ...this.#behaviour, hung: true, hangOnSubmit: null } : { ...this.#behaviour, hangOnSubmit: hangIn - 1 };
    }
    return ok(`+CMGS: ${mr}`);
  }


  // ---- the rest of ModemContext ---------------------------------------------------------------------------

  storage(name: StorageName): SmsStorage {
    return this.#storages[name];
  }

  resetSettings(): void {
    this.settings = powerOnSettings(this.profile);
  }

  now(): Date {
    return this.#deps.now();
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

