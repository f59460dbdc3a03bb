/**
 * Reassembly of concatenated short messages: 3GPP TS 23.040 clause 9.2.3.24.1 / 9.2.3.24.8 (UDH IEI 0x00 with an
 * 8-bit reference, IEI 0x08 with a 16-bit one) and SMPP 3.4 clauses 5.3.2.22-24 (sar_msg_ref_num,
 * sar_total_segments, sar_segment_seqnum), which the caller turns into the same ConcatInfo.
 *
 * Parts belong together when originator, destination, reference, reference size and total agree. They may come
 * in any order and more than once (a duplicate is ignored and counted). Each part is decoded by the caller on its
 * own, so an escape pair or surrogate pair never straddles a boundary; the message is the parts' texts in order.
 *
 * Pure: no clock and no timers. The caller gives `now` (ms) to `add` and calls `expire(now)`, which hands back as
 * incomplete every group older than the timeout, with the parts that arrived and the numbers of those missing.
 * Bounded: beyond `maxPending` groups the oldest is released as incomplete.
 */
import { codecError } from './errors.ts';
import type { ConcatInfo, ConcatRefSize, Encoding } from './types.ts';

export interface InboundPart {
  readonly originator: string;
  readonly destination: string;
  /** Absent, or not a valid part of a longer message (seq 0, seq beyond total, total 1): a message of its own. */
  readonly concat?: ConcatInfo;
  readonly encoding: Encoding;
  /** The part's decoded text (empty for binary). */
  readonly text: string;
  /** Raw octets of a binary part, joined in order for the message. */
  readonly binary?: Uint8Array;
}

export interface ReassembledMessage {
  readonly originator: string;
  readonly destination: string;
  /** The first part's encoding (parts of one message may differ; the text is joined regardless). */
  readonly encoding: Encoding;
  /** The texts of the parts that arrived, in part order. */
  readonly text: string;
  /** For binary messages: the octets of the parts that arrived, in part order. */
  readonly binary?: Uint8Array;
  /** False when released by timeout or eviction before every part arrived. */
  readonly complete: boolean;
  readonly total: number;
  /** Part numbers (1-based) that arrived, ascending. */
  readonly received: readonly number[];
  /** Part numbers that never arrived, ascending. */
  readonly missing: readonly number[];
  readonly ref?: number;
  readonly refSize?: ConcatRefSize;
  /** Duplicate parts that were ignored. */
  readonly duplicates: number;
  /** `now` of the first part's arrival. */
  readonly firstAt: number;
}

export interface AddResult {
  /** The message, when this part completed it (or was a message on its own). */
  readonly message?: ReassembledMessage;
  /** True when this part had already arrived and was ignored. */
  readonly duplicate: boolean;
  /** Groups released incomplete because the pending limit was reached. */
  readonly evicted: readonly ReassembledMessage[];
}

export interface ReassemblyOptions {
  /** How long a group waits for its missing parts, from its first part. Default 5 minutes. */
  readonly timeoutMs?: number;
  /** Most groups held at once. Default 10,000. */
  readonly maxPending?: number;
}

export interface ReassemblyStats {
  readonly pending: number;
  readonly completed: number;
  readonly incomplete: number;
  readonly duplicates: number;
  readonly evicted: number;
}

interface Group {
  readonly key: string;
  readonly originator: string;
  readonly destination: string;
  readonly concat: ConcatInfo;
  readonly firstAt: number;
  readonly parts: (InboundPart | undefined)[];
  count: number;
  duplicates: number;
}

const NONE: readonly ReassembledMessage[] = [];

export class Reassembler {
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  /** Insertion order is arrival order of each group's first part, so the first entry is the oldest. */
  readonly #groups = new Map<string, Group>();
  #completed = 0;
  #incomplete = 0;
  #duplicates = 0;
  #evicted = 0;

  constructor(options: ReassemblyOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 5 * 60_000;
    const maxPending = options.maxPending ?? 10_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw codecError('CODEC_INVALID_OPTION', `timeoutMs must be positive, got ${timeoutMs}`, { field: 'timeoutMs', value: timeoutMs });
    }
    if (!Number.isInteger(maxPending) || maxPending < 1) {
      throw codecError('CODEC_INVALID_OPTION', `maxPending must be a positive integer, got ${maxPending}`, { field: 'maxPending', value: maxPending });
    }
    this.#timeoutMs = timeoutMs;
    this.#maxPending = maxPending;
  }

  add(part: InboundPart, now: number): AddResult {
    const concat = part.concat;
    if (concat === undefined || concat.total < 2 || concat.seq < 1 || concat.seq > concat.total) {
      this.#completed++;
      return { message: single(part, now), duplicate: false, evicted: NONE };
    }
    const key = `${part.originator}\u0000${part.destination}\u0000${concat.refSize}\u0000${concat.ref}\u0000${concat.total}`;
    let group = this.#groups.get(key);
    let evicted = NONE;
    if (group === undefined) {
      evicted = this.#makeRoom();
      group = {
        key,
        originator: part.originator,
        destination: part.destination,
        concat,
        firstAt: now,
        parts: new Array<InboundPart | undefined>(concat.total).fill(undefined),
        count: 0,
        duplicates: 0,
      };
      this.#groups.set(key, group);
    }
    const index = concat.seq - 1;
    if (group.parts[index] !== undefined) {
      group.duplicates++;
      this.#duplicates++;
      return { duplicate: true, evicted };
    }
    group.parts[index] = part;
    group.count++;
    if (group.count < concat.total) return { duplicate: false, evicted };
    this.#groups.delete(key);
    this.#completed++;
    return { message: release(group, true), duplicate: false, evicted };
  }

  /** Releases, incomplete, every group whose first part arrived `timeoutMs` or more before `now`. */
  expire(now: number): ReassembledMessage[] {
    const released: ReassembledMessage[] = [];
    for (const group of this.#groups.values()) {
      // Map order is first-arrival order: once one group is young enough, all later ones are too.
      if (now - group.firstAt < this.#timeoutMs) break;
      this.#groups.delete(group.key);
      this.#incomplete++;
      released.push(release(group, false));
    }
    return released;
  }

  /** Releases every pending group as incomplete (at shutdown, so nothing received is lost). */
  drain(): ReassembledMessage[] {
    const released = [...this.#groups.values()].map((group) => release(group, false));
    this.#incomplete += released.length;
    this.#groups.clear();
    return released;
  }

  get pending(): number {
    return this.#groups.size;
  }

  stats(): ReassemblyStats {
    return {
      pending: this.#groups.size,
      completed: this.#completed,
      incomplete: this.#incomplete,
      duplicates: this.#duplicates,
      evicted: this.#evicted,
    };
  }

  #makeRoom(): readonly ReassembledMessage[] {
    if (this.#groups.size < this.#maxPending) return NONE;
    const released: ReassembledMessage[] = [];
    for (const group of this.#groups.values()) {
      if (this.#groups.size < this.#maxPending) break;
      this.#groups.delete(group.key);
      this.#evicted++;
      this.#incomplete++;
      released.push(release(group, false));
    }
    return released;
  }
}

function single(part: InboundPart, now: number): ReassembledMessage {
  return {
    originator: part.originator,
    destination: part.destination,
    encoding: part.encoding,
    text: part.text,
    ...(part.binary === undefined ? {} : { binary: part.binary }),
    complete: true,
    total: 1,
    received: [1],
    missing: [],
    duplicates: 0,
    firstAt: now,
  };
}

function release(group: Group, complete: boolean): ReassembledMessage {
  const received: number[] = [];
  const missing: number[] = [];
  const texts: string[] = [];
  const binaries: Uint8Array[] = [];
  let encoding: Encoding | undefined;
  for (let i = 0; i < group.parts.length; i++) {
    const part = group.parts[i];
    if (part === undefined) {
      missing.push(i + 1);
      continue;
    }
    received.push(i + 1);
    encoding ??= part.encoding;
    texts.push(part.text);
    if (part.binary !== undefined) binaries.push(part.binary);
  }
  const message: ReassembledMessage = {
    originator: group.originator,
    destination: group.destination,
    encoding: encoding ?? 'gsm7',
    text: texts.join(''),
    complete,
    total: group.concat.total,
    received,
    missing,
    ref: group.concat.ref,
    refSize: group.concat.refSize,
    duplicates: group.duplicates,
    firstAt: group.firstAt,
  };
  return binaries.length === 0 ? message : { ...message, binary: joinBytes(binaries) };
}

function joinBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
