/**
 * The SMSC's message ids: a counter written in hex or decimal, optionally zero-padded. The receipt text may write
 * the same number differently (a quirk of real carriers that drivers must normalize), so the number is kept and
 * each place formats it.
 */
import type { IdFormat } from './behaviour.ts';

export function formatMessageId(value: number, format: IdFormat, width: number): string {
  const digits = format === 'hex' ? value.toString(16) : value.toString(10);
  return width > digits.length ? digits.padStart(width, '0') : digits;
}

/** Hands out ids from a starting number; wraps before leaving the 52-bit safe range. */
export class MessageIdCounter {
  private next: number;

  constructor(private readonly first = 0x3b9aca00) {
    this.next = first;
  }

  take(): number {
    const id = this.next;
    this.next = this.next >= Number.MAX_SAFE_INTEGER ? this.first : this.next + 1;
    return id;
  }
}
