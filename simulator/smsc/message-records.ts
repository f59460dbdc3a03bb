/**
 * What the carrier actually received: every accepted message with its parts reassembled and decoded, so tests can
 * assert the exact text. Bounded: a ring of the newest `capacity` messages (counts are kept apart and never
 * evicted), with an index from every part's message id, and each part's delivery state (for query_sm), kept until
 * its message leaves the ring.
 */
import { Reassembler, type ReassembledMessage, type Encoding } from '../../drivers/codec/index.ts';
import type { Carriage, DecodedPart } from './part-decoding.ts';
import type { ReceiptStat } from '../../drivers/smpp-protocol/index.ts';

export interface RecordedMessage {
  readonly carrier: string;
  readonly systemId: string;
  readonly command: 'submit_sm' | 'data_sm';
  readonly from: string;
  readonly to: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly destTon: number;
  readonly destNpi: number;
  readonly text: string;
  /** Hex of the joined octets, for binary messages. */
  readonly binaryHex?: string;
  readonly encoding: Encoding;
  readonly dataCoding: number;
  readonly carriage: Carriage;
  readonly registeredDelivery: number;
  readonly parts: number;
  /** The SMSC message id given to each part, in part order (null for a part that never arrived). */
  readonly messageIds: readonly (string | null)[];
  readonly complete: boolean;
  readonly missing: readonly number[];
  readonly duplicates: number;
  readonly ref?: number;
  readonly decodeError?: string;
  /** ISO time the first part arrived. */
  readonly receivedAt: string;
}

/** What the session knows of one accepted part. */
export interface AcceptedPart {
  readonly systemId: string;
  readonly command: 'submit_sm' | 'data_sm';
  readonly from: string;
  readonly to: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly destTon: number;
  readonly destNpi: number;
  readonly dataCoding: number;
  readonly registeredDelivery: number;
  readonly messageId: string;
  readonly decoded: DecodedPart;
}

/** Where one accepted part stands: ENROUTE until its delivery settles (when its final receipt is, or would be, sent). */
export interface PartState {
  readonly systemId: string;
  /** source_addr as submitted: a query_sm must name the same originator. */
  readonly from: string;
  readonly stat: ReceiptStat;
  /** The outcome's `err` once settled. */
  readonly err: number;
  /** When the part reached its final state (ms since the epoch). */
  readonly doneAt?: number;
}

export interface RecordFilter {
  readonly to?: string;
  readonly from?: string;
  readonly systemId?: string;
  /** Substring of the text. */
  readonly text?: string;
  readonly complete?: boolean;
  /** Most recent first when true. */
  readonly newestFirst?: boolean;
  readonly limit?: number;
}

interface PendingGroup {
  readonly first: AcceptedPart;
  readonly ids: (string | null)[];
  readonly at: number;
  carriage: Carriage;
  decodeError?: string;
}

/** Kept compact (the accepted part itself for a single-part message); turned into a RecordedMessage when read. */
type Stored =
  | { readonly part: AcceptedPart; readonly at: number; readonly group?: undefined; readonly message?: undefined }
  | { readonly part: AcceptedPart; readonly at: number; readonly group: PendingGroup; readonly message: ReassembledMessage };

export class MessageRecords {
  private ring: (Stored | undefined)[];
  private next = 0;
  private stored = 0;
  private readonly byId = new Map<string, Stored>();
  private readonly reassembler: Reassembler;
  private readonly pending = new Map<string, PendingGroup>();
  private readonly states = new Map<string, PartState>();
  /** Parts whose outcome is drawn when first asked for after their time (no receipt is sent for them). */
  private readonly lazy = new Map<string, { readonly at: number; readonly decide: () => { readonly stat: ReceiptStat; readonly err: number } }>();
  /** Messages recorded since the last reset (evicted ones included). */
  total = 0;

  constructor(
    private readonly carrier: string,
    readonly capacity: number,
    concatTimeoutMs: number,
  ) {
    this.ring = new Array<Stored | undefined>(capacity);
    this.reassembler = new Reassembler({ timeoutMs: concatTimeoutMs, maxPending: Math.max(1000, capacity) });
  }

  add(part: AcceptedPart, now: number): void {
    const decoded = part.decoded;
    const concat = decoded.concat;
    if (concat === undefined || concat.total < 2) {
      this.track(part);
      this.store({ part, at: now }, part.messageId);
      return;
    }
    const originator = `${part.systemId}\u0000${part.from}`;
    const key = `${originator}\u0000${part.to}\u0000${concat.refSize}\u0000${concat.ref}\u0000${concat.total}`;
    let group = this.pending.get(key);
    if (group === undefined) {
      group = { first: part, ids: new Array<string | null>(concat.total).fill(null), at: now, carriage: decoded.carriage };
      this.pending.set(key, group);
    }
    if (concat.seq <= concat.total && group.ids[concat.seq - 1] === null) {
      // Only ids the record will index get a state, so every state leaves with its message.
      group.ids[concat.seq - 1] = part.messageId;
      this.track(part);
    }
    if (decoded.decodeError !== undefined) group.decodeError = decoded.decodeError;
    const result = this.reassembler.add(
      {
        originator,
        destination: part.to,
        concat,
        encoding: decoded.encoding,
        text: decoded.text,
        ...(decoded.binary === undefined ? {} : { binary: decoded.binary }),
      },
      now,
    );
    for (const evicted of result.evicted) this.release(evicted);
    if (result.message !== undefined) this.release(result.message);
  }

  /** Records, as incomplete, concatenated messages whose parts stopped arriving. */
  expire(now: number): void {
    for (const message of this.reassembler.expire(now)) this.release(message);
  }

  private track(part: AcceptedPart): void {
    this.states.set(part.messageId, { systemId: part.systemId, from: part.from, stat: 'ENROUTE', err: 0 });
  }

  /** The delivery state of one part by its message id; undefined when never accepted or no longer recorded. */
  /**
   * Where the part stands at `now`. A part settled lazily (`settleAt`) draws its outcome the first time it is
   * asked for after its time: parts no receipt is sent for cost no timer and no draw at submit.
   */
  partState(id: string, now: number): PartState | undefined {
    const lazy = this.lazy.get(id);
    if (lazy !== undefined && now >= lazy.at) {
      this.lazy.delete(id);
      const { stat, err } = lazy.decide();
      this.settle(id, stat, err, lazy.at);
    }
    return this.states.get(id);
  }

  /** The part settles at `at` with the outcome `decide` gives, drawn only when someone asks (query_sm). */
  settleAt(id: string, at: number, decide: () => { readonly stat: ReceiptStat; readonly err: number }): void {
    this.lazy.set(id, { at, decide });
  }

  /** The part's delivery ended with `stat` (a receipt for it is due now, whether or not one is sent). */
  settle(id: string, stat: ReceiptStat, err: number, now: number): void {
    const state = this.states.get(id);
    if (state !== undefined) this.states.set(id, { ...state, stat, err, doneAt: now });
  }

  get pendingGroups(): number {
    return this.pending.size;
  }

  byMessageId(id: string): RecordedMessage | undefined {
    const stored = this.byId.get(id);
    return stored === undefined ? undefined : this.materialize(stored);
  }

  list(filter: RecordFilter = {}): RecordedMessage[] {
    const out: RecordedMessage[] = [];
    const limit = filter.limit ?? 100;
    const n = this.stored;
    for (let k = 0; k < n && out.length < limit; k++) {
      const offset = filter.newestFirst === true ? n - 1 - k : k;
      const stored = this.ring[(this.next - n + offset + this.capacity) % this.capacity];
      if (stored === undefined) continue;
      const record = this.materialize(stored);
      if (matches(record, filter)) out.push(record);
    }
    return out;
  }

  get size(): number {
    return this.stored;
  }

  reset(): void {
    this.ring = new Array<Stored | undefined>(this.capacity);
    this.next = 0;
    this.stored = 0;
    this.total = 0;
    this.byId.clear();
    this.states.clear();
    this.lazy.clear();
    this.pending.clear();
    this.reassembler.drain();
  }

  private release(message: ReassembledMessage): void {
    const key = `${message.originator}\u0000${message.destination}\u0000${message.refSize}\u0000${message.ref}\u0000${message.total}`;
    const group = this.pending.get(key);
    if (group === undefined) return;
    this.pending.delete(key);
    this.store({ part: group.first, at: group.at, group, message }, ...group.ids);
  }

  private store(entry: Stored, ...ids: (string | null)[]): void {
    const old = this.ring[this.next];
    if (old !== undefined) {
      for (const id of idsOf(old)) {
        if (id !== null && this.byId.get(id) === old) {
          this.byId.delete(id);
          this.states.delete(id);
          this.lazy.delete(id);
        }
      }
    }
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    if (this.stored < this.capacity) this.stored++;
    this.total++;
    for (const id of ids) if (id !== null) this.byId.set(id, entry);
  }

  private materialize(stored: Stored): RecordedMessage {
    const part = stored.part;
    const common = {
      carrier: this.carrier,
      systemId: part.systemId,
      command: part.command,
      from: part.from,
      to: part.to,
      sourceTon: part.sourceTon,
      sourceNpi: part.sourceNpi,
      destTon: part.destTon,
      destNpi: part.destNpi,
      dataCoding: part.dataCoding,
      registeredDelivery: part.registeredDelivery,
      receivedAt: new Date(stored.at).toISOString(),
    };
    if (stored.group === undefined) {
      const decoded = part.decoded;
      return {
        ...common,
        text: decoded.text,
        ...(decoded.binary === undefined ? {} : { binaryHex: Buffer.from(decoded.binary).toString('hex') }),
        encoding: decoded.encoding,
        carriage: decoded.carriage,
        parts: 1,
        messageIds: [part.messageId],
        complete: true,
        missing: [],
        duplicates: 0,
        ...(decoded.decodeError === undefined ? {} : { decodeError: decoded.decodeError }),
      };
    }
    const { group, message } = stored;
    return {
      ...common,
      text: message.text,
      ...(message.binary === undefined ? {} : { binaryHex: Buffer.from(message.binary).toString('hex') }),
      encoding: message.encoding,
      carriage: group.carriage,
      parts: message.total,
      messageIds: group.ids,
      complete: message.complete,
      missing: message.missing,
      duplicates: message.duplicates,
      ...(message.ref === undefined ? {} : { ref: message.ref }),
      ...(group.decodeError === undefined ? {} : { decodeError: group.decodeError }),
    };
  }
}

function idsOf(stored: Stored): readonly (string | null)[] {
  return stored.group === undefined ? [stored.part.messageId] : stored.group.ids;
}

function matches(record: RecordedMessage, filter: RecordFilter): boolean {
  if (filter.to !== undefined && stripPlus(record.to) !== stripPlus(filter.to)) return false;
  if (filter.from !== undefined && stripPlus(record.from) !== stripPlus(filter.from)) return false;
  if (filter.systemId !== undefined && record.systemId !== filter.systemId) return false;
  if (filter.text !== undefined && !record.text.includes(filter.text)) return false;
  if (filter.complete !== undefined && record.complete !== filter.complete) return false;
  return true;
}

function stripPlus(address: string): string {
  return address.startsWith('+') ? address.slice(1) : address;
}
