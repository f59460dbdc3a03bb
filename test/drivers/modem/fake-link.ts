/**
 * A strict in-memory serial link for unit tests: it records what the driver writes, answers complete command
 * lines (and PDUs ended by Ctrl-Z) through a responder, and lets a test push bytes or hang up at any moment.
 * Commands without an answer in the script are recorded in `unexpected`, so a test can assert none happened.
 */
import type { SerialLink } from '../../../drivers/modem/serial-link.ts';

export type Responder = (unit: string, link: FakeLink) => string | null | undefined;

export class FakeLink implements SerialLink {
  readonly writes: string[] = [];
  /** Complete command lines (without CR) and PDUs (without Ctrl-Z), in order. */
  readonly units: string[] = [];
  readonly unexpected: string[] = [];
  closed = false;
  private pending = '';
  private readonly dataListeners: ((chunk: Uint8Array) => void)[] = [];
  private readonly closeListeners: ((reason: string) => void)[] = [];

  constructor(private readonly responder: Responder = () => null) {}

  write(data: Uint8Array | string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('closed'));
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
    this.writes.push(text);
    this.pending += text;
    for (;;) {
      const at = [...this.pending].findIndex((ch) => ch === '\r' || ch === '\x1a' || ch === '\x1b');
      if (at < 0) break;
      const unit = this.pending.slice(0, at);
      this.pending = this.pending.slice(at + 1);
      this.units.push(unit);
      const reply = this.responder(unit, this);
      if (reply === null || reply === undefined) {
        if (reply === null) this.unexpected.push(unit);
        continue;
      }
      setImmediate(() => this.feed(reply));
    }
    return Promise.resolve();
  }

  feed(text: string | Uint8Array): void {
    if (this.closed) return;
    const chunk = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    for (const listener of this.dataListeners) listener(chunk);
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  hangUp(reason = 'hang-up'): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(reason);
  }

  close(): Promise<void> {
    this.hangUp('closed by driver');
    return Promise.resolve();
  }
}

/** Answers from a table of exact commands; `undefined` entries are answered by nothing (a hung modem). */
export function scripted(table: Readonly<Record<string, string | ((unit: string) => string | undefined)>>, fallback?: (unit: string) => string | null | undefined): Responder {
  return (unit) => {
    if (Object.hasOwn(table, unit)) {
      const entry = table[unit];
      return typeof entry === 'function' ? entry(unit) : entry;
    }
    return fallback === undefined ? null : fallback(unit);
  };
}

export const OK = '\r\nOK\r\n';
