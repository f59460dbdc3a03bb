/**
 * The command layer: one AT command at a time per modem, each with its timeout from the reply table, its
 * information lines collected by prefix, and its failure turned into a typed error. Unsolicited codes are
 * passed on as they arrive, also in the middle of a command. The serial link is injected.
 * AT+CMGS answers with a typed result rather than a rejection: whether the PDU left and what the device said are
 * facts the sender branches on.
 */
import { LineFramer, linePrefix, parseCmgs, type FinalResult, type FrameEvent, type ResponseLine } from '../at-protocol/index.ts';
import { deviceError, type DeviceFailure } from './device-error.ts';
import { modemError, type ModemError } from './errors.ts';
import { commandName, replySpec, type ReplySpec } from './reply-table.ts';
import type { SerialLink } from './serial-link.ts';
import { realSchedule, sleepOn, type Cancel, type Schedule } from './timers.ts';

export interface Urc {
  readonly name: string;
  readonly text: string;
  readonly pdu?: string;
}

export interface AtChannelOptions {
  /** Timeout overrides by command name ("+CMGS", "AT", ...); `default` applies to every command not named. */
  readonly timeouts?: Readonly<Record<string, number>>;
  /** How long to wait for the "> " prompt after AT+CMGS=<n>. Default 10 s. */
  readonly promptTimeoutMs?: number;
  /** Pause after each command before the next one (modems that drop commands sent too quickly). */
  readonly commandDelayMs?: number;
  /** Timers for command timeouts and pauses; default real time. */
  readonly schedule?: Schedule;
}

export interface AtChannelStats {
  readonly commands: number;
  readonly timeouts: number;
  /** Lines that belonged to no command and were no known unsolicited code. */
  readonly strayLines: number;
  readonly garbageBytes: number;
}

/** Why a command failed: the typed error, and the facts a sender needs beside it. */
export interface CommandFailure extends DeviceFailure {
  /** The PDU after the "> " prompt was handed to the port: the network may have the message. */
  readonly written: boolean;
}

export type SubmitResult = { readonly ok: true; readonly mr: number } | { readonly ok: false; readonly failure: CommandFailure };

type Answer = { readonly ok: true; readonly lines: ResponseLine[] } | { readonly ok: false; readonly failure: CommandFailure };

interface Pending {
  readonly spec: ReplySpec;
  readonly lines: ResponseLine[];
  onPrompt: (() => void) | null;
  onFinal(result: FinalResult): void;
  onClose(reason: string): void;
}

const CTRL_Z = '\x1a';
const ESC = '\x1b';

export class AtChannel {
  private readonly framer = new LineFramer();
  private pending: Pending | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closedReason: string | null = null;
  private readonly urcListeners: ((urc: Urc) => void)[] = [];
  private readonly closeListeners: ((reason: string) => void)[] = [];
  private counts = { commands: 0, timeouts: 0, strayLines: 0 };
  private commandDelayMs: number;
  private readonly schedule: Schedule;

  constructor(
    private readonly link: SerialLink,
    private readonly options: AtChannelOptions = {},
  ) {
    this.commandDelayMs = options.commandDelayMs ?? 0;
    this.schedule = options.schedule ?? realSchedule;
    link.onData((chunk) => {
      for (const event of this.framer.push(chunk)) this.dispatch(event);
    });
    link.onClose((reason) => this.closed(reason));
  }

  get isClosed(): boolean {
    return this.closedReason !== null;
  }

  onUrc(listener: (urc: Urc) => void): void {
    this.urcListeners.push(listener);
  }

  onClose(listener: (reason: string) => void): void {
    if (this.closedReason !== null) listener(this.closedReason);
    else this.closeListeners.push(listener);
  }

  /** The profile is known only after AT+CGMI / AT+CGMM, so its pause between commands is set then. */
  setCommandDelay(ms: number): void {
    this.commandDelayMs = ms;
  }

  stats(): AtChannelStats {
    return { ...this.counts, garbageBytes: this.framer.garbageBytes };
  }

  /** Runs one command (queued behind the others); resolves with its information lines on OK. */
  async run(command: string): Promise<ResponseLine[]> {
    const answer = await this.enqueue(() => this.exec(command, null));
    if (!answer.ok) throw answer.failure.error;
    return answer.lines;
  }

  /**
   * AT+CMGS=<tpduLength>, then the PDU and Ctrl-Z at the prompt; the TP-MR of +CMGS, or the failure with
   * `written`: false when the PDU never left, true when it did (the outcome may then be unknown).
   */
  async submitPdu(tpduLength: number, hex: string): Promise<SubmitResult> {
    const command = `AT+CMGS=${tpduLength}`;
    const answer = await this.enqueue(() => this.exec(command, hex));
    if (!answer.ok) return answer;
    const mr = parseCmgs(answer.lines);
    if (mr !== null) return { ok: true, mr };
    const error = modemError('MODEM_UNEXPECTED_REPLY', `${command}: no message reference in the reply`, {
      command,
      written: true,
      lines: answer.lines.map((l) => l.text),
    });
    return { ok: false, failure: { error, written: true, uncertain: false } };
  }

  async close(): Promise<void> {
    if (this.closedReason === null) await this.link.close();
    this.closed('closed by driver');
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job);
    const pause = (): Promise<void> => {
      const delay = this.commandDelayMs;
      return delay > 0 && this.closedReason === null ? sleepOn(this.schedule)(delay) : Promise.resolve();
    };
    this.tail = run.then(pause, pause);
    return run;
  }

  private timeoutFor(command: string, spec: ReplySpec): number {
    const overrides = this.options.timeouts ?? {};
    return overrides[commandName(command)] ?? overrides['default'] ?? spec.timeoutMs;
  }

  /** Settles with the command's lines or its failure; never rejects. */
  private exec(command: string, pdu: string | null): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      if (this.closedReason !== null) {
        const error = modemError('MODEM_PORT_CLOSED', `${command}: ${this.closedReason}`, { command, written: false });
        resolve({ ok: false, failure: { error, written: false, uncertain: false } });
        return;
      }
      this.counts.commands += 1;
      const spec = replySpec(command);
      const lines: ResponseLine[] = [];
      let written = pdu === null;
      let cancelTimer: Cancel | undefined;
      const finish = (failure: DeviceFailure | null): void => {
        cancelTimer?.();
        if (this.pending !== pending) return;
        this.pending = null;
        this.framer.expect([]);
        // Only AT+CMGS has a PDU that can have left; other commands are never "written" in this sense.
        resolve(failure === null ? { ok: true, lines } : { ok: false, failure: { ...failure, written: pdu !== null && written } });
      };
      const failWith = (error: ModemError): void => finish({ error, uncertain: false });
      const arm = (ms: number, onTimeout: () => void): void => {
        cancelTimer?.();
        cancelTimer = this.schedule(ms, onTimeout);
      };
      const fail = (error: unknown): void =>
        failWith(modemError('MODEM_PORT_CLOSED', `${command}: ${String(error)}`, { command, written }, { cause: error }));
      const pending: Pending = {
        spec,
        lines,
        onPrompt: null,
        onFinal: (result) => finish(result.kind === 'ok' ? null : deviceError(result, command, { written })),
        onClose: (reason) => failWith(modemError('MODEM_PORT_CLOSED', `${command}: ${reason}`, { command, written })),
      };
      const timeoutMs = this.timeoutFor(command, spec);
      if (pdu !== null) {
        pending.onPrompt = () => {
          pending.onPrompt = null;
          written = true;
          arm(timeoutMs, () => {
            this.counts.timeouts += 1;
            failWith(modemError('MODEM_TIMEOUT', `${command}: no answer after the PDU`, { command, written, timeoutMs }));
          });
          this.link.write(pdu + CTRL_Z).catch(fail);
        };
        const promptMs = this.options.promptTimeoutMs ?? 10_000;
        arm(promptMs, () => {
          this.counts.timeouts += 1;
          // ESC abandons the message input so the modem is ready for the next command.
          this.link.write(ESC).catch(() => undefined);
          failWith(modemError('MODEM_NO_PROMPT', command, { command, written: false, timeoutMs: promptMs }));
        });
      } else {
        arm(timeoutMs, () => {
          this.counts.timeouts += 1;
          failWith(modemError('MODEM_TIMEOUT', command, { command, timeoutMs }));
        });
      }
      this.pending = pending;
      this.framer.expect(spec.prefixes, spec.bare === undefined ? undefined : command);
      this.link.write(`${command}\r`).catch(fail);
    });
  }

  private dispatch(event: FrameEvent): void {
    const pending = this.pending;
    switch (event.type) {
      case 'urc':
        this.emitUrc({ name: event.name, text: event.text, ...(event.pdu === undefined ? {} : { pdu: event.pdu }) });
        return;
      case 'echo':
        return;
      case 'prompt':
        if (pending?.onPrompt) pending.onPrompt();
        else this.counts.strayLines += 1;
        return;
      case 'final':
        if (pending) pending.onFinal(event.result);
        else this.counts.strayLines += 1;
        return;
      case 'line': {
        if (pending && this.owns(pending.spec, event.text)) {
          pending.lines.push(event.pdu === undefined ? { text: event.text } : { text: event.text, pdu: event.pdu });
        } else {
          this.counts.strayLines += 1;
        }
      }
    }
  }

  private owns(spec: ReplySpec, text: string): boolean {
    if (spec.prefixes.includes(linePrefix(text))) return true;
    return spec.bare !== undefined && !text.startsWith('+') && spec.bare.test(text);
  }

  private emitUrc(urc: Urc): void {
    for (const listener of this.urcListeners) {
      try {
        listener(urc);
      } catch {
        // A listener's bug must not stop the line reader; the modem layer handles its own errors.
      }
    }
  }

  private closed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.pending?.onClose(reason);
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }
}
