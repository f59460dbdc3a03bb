import { describe, expect, test } from 'vitest';
import {
  buildDeliverPdus,
  decodeTpdu,
  encodeText,
  Reassembler,
  type ConcatInfo,
  type InboundPart,
  type ReassembledMessage,
} from '../../../drivers/codec/index.ts';

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Parts of a real message: encoded, built as SMS-DELIVERs, decoded one by one as a modem would receive them. */
function receivedParts(text: string, options: { refSize?: 8 | 16; concatRef?: number; from?: string } = {}): InboundPart[] {
  const message = encodeText(text, { maxParts: 20, refSize: options.refSize ?? 8, concatRef: options.concatRef ?? 7 });
  return buildDeliverPdus(message, { from: options.from ?? '+15551230000', scts: new Date('2026-01-01T00:00:00Z') }).map((pdu) => {
    const decoded = decodeTpdu(pdu.hex, { withSmsc: true });
    if (decoded.type !== 'deliver') throw new Error('not a deliver');
    const concat = decoded.userData.concat;
    return {
      originator: decoded.originator.value,
      destination: '+15550001111',
      encoding: decoded.userData.encoding,
      text: decoded.userData.text,
      ...(concat === undefined ? {} : { concat }),
    };
  });
}

const emojiText = '😀🎉'.repeat(60); // UCS-2, surrogate pairs at part boundaries
const gsmText = '{Extension} [chars] cost two €'.repeat(20); // escapes at part boundaries
const threeParts = receivedParts('x'.repeat(400));
const fourParts = receivedParts(emojiText, { refSize: 16, concatRef: 0xbeef });

describe('reassembly', () => {
  test('fixtures have the sizes the orders below assume', () => {
    expect(threeParts).toHaveLength(3);
    expect(fourParts).toHaveLength(4);
  });

  test.each(permutations([0, 1, 2]).map((order) => [order.join(','), order] as const))('3 parts in order %s', (_name, order) => {
    const reassembler = new Reassembler();
    const results = order.map((i, step) => reassembler.add(threeParts[i]!, step));
    expect(results.slice(0, -1).every((r) => r.message === undefined)).toBe(true);
    expect(results.at(-1)?.message).toMatchObject({ text: 'x'.repeat(400), complete: true, total: 3, missing: [], received: [1, 2, 3] });
    expect(reassembler.pending).toBe(0);
  });

  test.each(permutations([0, 1, 2, 3]).map((order) => [order.join(','), order] as const))('4 UCS-2 parts (16-bit ref) in order %s', (_name, order) => {
    const reassembler = new Reassembler();
    let message: ReassembledMessage | undefined;
    for (const i of order) message = reassembler.add(fourParts[i]!, 0).message ?? message;
    expect(message).toMatchObject({ text: emojiText, complete: true, ref: 0xbeef, refSize: 16, encoding: 'ucs2' });
  });

  test('escape pairs at boundaries survive because each part is decoded alone', () => {
    const parts = receivedParts(gsmText);
    expect(parts.length).toBeGreaterThan(3);
    const reassembler = new Reassembler();
    let message: ReassembledMessage | undefined;
    for (const part of [...parts].reverse()) message = reassembler.add(part, 0).message ?? message;
    expect(message?.text).toBe(gsmText);
  });

  test('duplicates are ignored and counted, in every order and position before completion', () => {
    for (const order of permutations([0, 1, 2])) {
      for (let at = 0; at < 2; at++) {
        // The part at position `at` arrives again right after itself and after every later part but the last.
        for (let again = at + 1; again < 3; again++) {
          const sequence = [...order];
          sequence.splice(again, 0, order[at]!);
          const reassembler = new Reassembler();
          const results = sequence.map((i) => reassembler.add(threeParts[i]!, 0));
          expect(results.map((r) => r.duplicate)).toEqual(sequence.map((_, i) => i === again));
          expect(results.at(-1)?.message).toMatchObject({ duplicates: 1, complete: true, text: 'x'.repeat(400) });
          expect(reassembler.stats()).toMatchObject({ duplicates: 1, completed: 1, pending: 0 });
        }
      }
    }
  });

  test('a part repeated after its message completed opens a new group, released later as incomplete', () => {
    const reassembler = new Reassembler({ timeoutMs: 10 });
    for (const part of threeParts) reassembler.add(part, 0);
    expect(reassembler.add(threeParts[1]!, 1)).toMatchObject({ duplicate: false });
    expect(reassembler.expire(11)).toMatchObject([{ complete: false, received: [2], missing: [1, 3] }]);
  });

  test('split at every point: whichever prefix arrived is what expiry releases', () => {
    for (const parts of [threeParts, fourParts]) {
      for (const order of permutations(parts.map((_, i) => i))) {
        for (let cut = 1; cut < order.length; cut++) {
          const reassembler = new Reassembler({ timeoutMs: 1000 });
          order.slice(0, cut).forEach((i, step) => reassembler.add(parts[i]!, step));
          expect(reassembler.expire(999)).toEqual([]);
          const [released] = reassembler.expire(1000);
          const arrived = order.slice(0, cut).sort((a, b) => a - b);
          expect(released).toMatchObject({
            complete: false,
            received: arrived.map((i) => i + 1),
            missing: parts.map((_, i) => i).filter((i) => !arrived.includes(i)).map((i) => i + 1),
            text: arrived.map((i) => parts[i]!.text).join(''),
          });
          expect(reassembler.pending).toBe(0);
        }
      }
    }
  });

  test('parts of different messages never mix: originator, reference, size and total keep them apart', () => {
    const reassembler = new Reassembler();
    const a = receivedParts('a'.repeat(300), { concatRef: 1 });
    const b = receivedParts('b'.repeat(300), { concatRef: 1, from: '+15559999999' });
    const c = receivedParts('c'.repeat(300), { concatRef: 2 });
    const d = receivedParts('d'.repeat(300), { concatRef: 1, refSize: 16 });
    const texts: string[] = [];
    for (let i = 0; i < 2; i++) for (const parts of [a, b, c, d]) {
      const message = reassembler.add(parts[i]!, 0).message;
      if (message !== undefined) texts.push(message.text);
    }
    expect(texts.sort()).toEqual(['a', 'b', 'c', 'd'].map((ch) => ch.repeat(300)));
  });

  test.each([
    ['no concat', undefined],
    ['total 1', { ref: 1, total: 1, seq: 1, refSize: 8 }],
    ['seq 0', { ref: 1, total: 3, seq: 0, refSize: 8 }],
    ['seq beyond total', { ref: 1, total: 3, seq: 4, refSize: 8 }],
  ] as const)('a part with %s is a message of its own', (_name, concat?: ConcatInfo) => {
    const reassembler = new Reassembler();
    const result = reassembler.add({ originator: 'a', destination: 'b', encoding: 'gsm7', text: 'hi', ...(concat ? { concat } : {}) }, 5);
    expect(result.message).toMatchObject({ text: 'hi', complete: true, total: 1, firstAt: 5 });
    expect(reassembler.pending).toBe(0);
  });

  test('bounded: beyond maxPending the oldest group is released incomplete', () => {
    const reassembler = new Reassembler({ maxPending: 2 });
    const part = (ref: number): InboundPart => ({ originator: 'o', destination: 'd', encoding: 'gsm7', text: `p${ref}`, concat: { ref, total: 2, seq: 1, refSize: 8 } });
    expect(reassembler.add(part(1), 0).evicted).toEqual([]);
    expect(reassembler.add(part(2), 1).evicted).toEqual([]);
    const third = reassembler.add(part(3), 2);
    expect(third.evicted).toMatchObject([{ ref: 1, complete: false, text: 'p1', missing: [2] }]);
    expect(reassembler.pending).toBe(2);
    expect(reassembler.stats()).toMatchObject({ pending: 2, evicted: 1, incomplete: 1 });
    for (let ref = 4; ref < 1000; ref++) reassembler.add(part(ref), ref);
    expect(reassembler.pending).toBe(2);
  });

  test('binary parts join their octets in order', () => {
    const reassembler = new Reassembler();
    const part = (seq: number, bytes: number[]): InboundPart => ({
      originator: 'o',
      destination: 'd',
      encoding: 'binary',
      text: '',
      binary: Uint8Array.from(bytes),
      concat: { ref: 9, total: 2, seq, refSize: 8 },
    });
    reassembler.add(part(2, [3, 4]), 0);
    expect(reassembler.add(part(1, [1, 2]), 0).message?.binary).toEqual(Uint8Array.of(1, 2, 3, 4));
  });

  test('drain releases everything pending; bad options are refused', () => {
    const reassembler = new Reassembler();
    reassembler.add(threeParts[0]!, 0);
    expect(reassembler.drain()).toMatchObject([{ complete: false, missing: [2, 3] }]);
    expect(reassembler.pending).toBe(0);
    expect(() => new Reassembler({ timeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_OPTION' }));
    expect(() => new Reassembler({ maxPending: 0 })).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_OPTION' }));
  });
});
