import { expect } from 'vitest';
import { ModemEngine, type EngineDeps } from '../../../simulator/modem/modem-engine.ts';
import { applyBehaviour, HAPPY_BEHAVIOUR, scenarioBehaviour, type BehaviourPatch } from '../../../simulator/modem/behaviour.ts';
import { buildIdentity, type IdentityOptions } from '../../../simulator/modem/identity.ts';

interface Task {
  readonly at: number;
  readonly run: () => void;
  cancelled: boolean;
}

/** The engine with a manual clock: `advance(ms)` runs due timers; `output` is everything written to the line. */
export class EngineHarness {
  readonly engine: ModemEngine;
  output = '';
  #now = Date.UTC(2026, 0, 15, 3, 4, 5);
  #tasks: Task[] = [];

  constructor(options: { scenario?: string; behaviour?: BehaviourPatch; identity?: IdentityOptions } = {}) {
    const base = options.scenario === undefined ? HAPPY_BEHAVIOUR : scenarioBehaviour(options.scenario);
    const deps: EngineDeps = {
      write: (data) => {
        this.output += data;
      },
      schedule: (ms, run) => {
        const task: Task = { at: this.#now + ms, run, cancelled: false };
        this.#tasks.push(task);
        return () => {
          task.cancelled = true;
        };
      },
      now: () => new Date(this.#now),
      random: sequence(),
    };
    this.engine = new ModemEngine(
      buildIdentity({ imei: '490154203237518', imsi: '440101234567890', iccid: '8981100000000000018', ...options.identity }),
      options.behaviour === undefined ? base : applyBehaviour(base, options.behaviour),
      deps,
    );
    this.engine.powerOn();
  }

  /** Sends a command line and returns what the modem wrote in reply (echo included). */
  at(line: string): string {
    return this.send(`${line}\r`);
  }

  send(raw: string): string {
    const mark = this.output.length;
    this.engine.receive(raw);
    return this.output.slice(mark);
  }

  advance(ms: number): string {
    const mark = this.output.length;
    const until = this.#now + ms;
    for (;;) {
      const due = this.#tasks.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#tasks = this.#tasks.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.run();
    }
    this.#now = until;
    return this.output.slice(mark);
  }
}

/** A fixed pseudo-random sequence, so runs repeat. */
function sequence(): () => number {
  let x = 0x2545f491;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % 10_000) / 10_000;
  };
}

export const OK = '\r\nOK\r\n';

/** A modem with echo off and its start-up noise (attach, URCs) past. */
export function quiet(options: ConstructorParameters<typeof EngineHarness>[0] = {}): EngineHarness {
  const modem = new EngineHarness(options);
  modem.at('ATE0');
  modem.advance(60_000);
  return modem;
}

/** Sends every part through AT+CMGS and returns the +CMGS references. */
export function sendPdus(modem: EngineHarness, hexes: readonly { hex: string; tpduLength: number }[]): string[] {
  return hexes.map((pdu) => {
    expect(modem.at(`AT+CMGS=${pdu.tpduLength}`)).toBe('\r\n> ');
    return modem.send(`${pdu.hex}\x1a`);
  });
}
