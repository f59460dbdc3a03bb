import type { CarrierAnswer } from './carrier-answer.ts';

export interface PrefixEntry extends CarrierAnswer {
  readonly prefix: string;
}

const NO_CHILD = 0;
const ZERO = 48;

/**
 * Longest-prefix match over digit prefixes, as a flat trie: node n's child for digit d is children[n * 10 + d]
 * (0 = none, node 0 is the root), and values[n] is the index of the entry ending there (+1, 0 = none).
 * A lookup walks the E.164 digits once with charCodeAt and returns a prebuilt entry: no allocation at all,
 * which is what keeps bulk sends above half a million lookups per second per core.
 */
export class PrefixTable {
  readonly size: number;
  private readonly children: Int32Array;
  private readonly values: Int32Array;
  private readonly entries: readonly PrefixEntry[];

  private constructor(children: Int32Array, values: Int32Array, entries: readonly PrefixEntry[]) {
    this.children = children;
    this.values = values;
    this.entries = entries;
    this.size = entries.length;
  }

  /** Later entries with the same prefix replace earlier ones, so curated data can be layered over bulk data. */
  static build(entries: Iterable<PrefixEntry>): PrefixTable {
    const children: number[] = new Array<number>(10).fill(NO_CHILD);
    const values: number[] = [0];
    const kept: PrefixEntry[] = [];
    for (const entry of entries) {
      let node = 0;
      for (let i = 0; i < entry.prefix.length; i++) {
        const digit = entry.prefix.charCodeAt(i) - ZERO;
        if (digit < 0 || digit > 9) throw new RangeError(`prefix "${entry.prefix}" has a non-digit`);
        let child = children[node * 10 + digit] ?? NO_CHILD;
        if (child === NO_CHILD) {
          child = values.length;
          values.push(0);
          for (let k = 0; k < 10; k++) children.push(NO_CHILD);
          children[node * 10 + digit] = child;
        }
        node = child;
      }
      const existing = values[node] ?? 0;
      if (existing === 0) {
        kept.push(entry);
        values[node] = kept.length;
      } else {
        kept[existing - 1] = entry;
      }
    }
    return new PrefixTable(Int32Array.from(children), Int32Array.from(values), kept);
  }

  /** The entry with the longest prefix of `e164` (with or without `+`), or undefined. */
  lookup(e164: string): PrefixEntry | undefined {
    const { children, values } = this;
    let node = 0;
    let found = 0;
    for (let i = e164.charCodeAt(0) === 43 ? 1 : 0; i < e164.length; i++) {
      const digit = e164.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) break;
      node = children[node * 10 + digit] ?? NO_CHILD;
      if (node === NO_CHILD) break;
      const value = values[node] ?? 0;
      if (value !== 0) found = value;
    }
    return found === 0 ? undefined : this.entries[found - 1];
  }
}
