/**
 * What the virtual modem "transmitted": every accepted AT+CMGS part with the TP-MR it was given, and the
 * messages those parts make once reassembled (the codec's Reassembler, so duplicates of a retried part are
 * counted, not doubled).
 */
import { Reassembler, type ConcatInfo, type Encoding } from '../../drivers/codec/index.ts';

export interface TransmittedPart {
  /** TP-MR the modem answered in +CMGS. */
  readonly mr: number;
  /** ISO time of acceptance. */
  readonly at: string;
  readonly mode: 'pdu' | 'text';
  /** The PDU as given after the prompt (PDU mode). */
  readonly pdu?: string;
  readonly to: string;
  readonly text: string;
  readonly encoding: Encoding;
  readonly concat?: ConcatInfo;
  readonly statusReportRequested: boolean;
}

export interface TransmittedMessage {
  readonly to: string;
  /** The reassembled text (so far, while incomplete). */
  readonly text: string;
  readonly encoding: Encoding;
  readonly complete: boolean;
  readonly total: number;
  /** Parts in arrival order, duplicates included. */
  readonly parts: readonly TransmittedPart[];
  readonly duplicates: number;
}

interface Group {
  readonly key: string;
  readonly parts: TransmittedPart[];
  text?: string;
  duplicates: number;
}

/** Outbound parts come from this modem's own number, which the simulator does not need to know. */
const SELF = 'self';

export class TransmissionLog {
  readonly #reassembler = new Reassembler({ timeoutMs: 24 * 3_600_000 });
  readonly #groups: Group[] = [];
  readonly #parts: TransmittedPart[] = [];
  readonly #open = new Map<string, Group>();

  record(part: TransmittedPart, now: number): void {
    const result = this.#reassembler.add({ originator: SELF, destination: part.to, concat: part.concat, encoding: part.encoding, text: part.text }, now);
    const concat = part.concat !== undefined && part.concat.total > 1 ? part.concat : undefined;
    const key = concat === undefined ? '' : `${part.to}\u0000${concat.refSize}\u0000${concat.ref}\u0000${concat.total}`;
    let group = concat === undefined ? undefined : this.#open.get(key);
    if (group === undefined) {
      // A duplicate of a part of an already completed message belongs to that message.
      group = result.duplicate ? this.#lastCompleted(key) : undefined;
    }
    if (group === undefined) {
      group = { key, parts: [], duplicates: 0 };
      this.#groups.push(group);
      if (concat !== undefined) this.#open.set(key, group);
    }
    group.parts.push(part);
    this.#parts.push(part);
    if (result.duplicate) group.duplicates += 1;
    if (result.message !== undefined) {
      group.text = result.message.text;
      this.#open.delete(key);
    }
  }

  messages(): TransmittedMessage[] {
    return this.#groups.map((group) => {
      const first = group.parts[0] as TransmittedPart;
      const total = first.concat !== undefined && first.concat.total > 1 ? first.concat.total : 1;
      return {
        to: first.to,
        text: group.text ?? partialText(group.parts),
        encoding: first.encoding,
        complete: group.text !== undefined,
        total,
        parts: [...group.parts],
        duplicates: group.duplicates,
      };
    });
  }

  parts(): TransmittedPart[] {
    return [...this.#parts];
  }

  clear(): void {
    this.#groups.length = 0;
    this.#parts.length = 0;
    this.#open.clear();
  }

  #lastCompleted(key: string): Group | undefined {
    for (let i = this.#groups.length - 1; i >= 0; i -= 1) {
      const group = this.#groups[i] as Group;
      if (group.key === key && group.text !== undefined) return group;
    }
    return undefined;
  }
}

function partialText(parts: readonly TransmittedPart[]): string {
  const bySeq = new Map<number, string>();
  for (const part of parts) bySeq.set(part.concat?.seq ?? 1, part.text);
  return [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text).join('');
}
