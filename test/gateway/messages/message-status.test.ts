import { describe, expect, test } from 'vitest';
import { encodeText } from '../../../drivers/codec/index.ts';
import { partStatusForReceipt, rollUpParts, type PartStatus } from '../../../gateway/messages/message-status.ts';
import { fromStoredEncoding, toStoredEncoding } from '../../../gateway/messages/stored-encoding.ts';

const parts = (...statuses: PartStatus[]) => statuses.map((status) => ({ status }));

describe('rollUpParts', () => {
  test.each([
    [['pending', 'pending'], undefined],
    [['submitted', 'pending'], undefined],
    [['submitted', 'submitted'], 'submitted'],
    [['submitted', 'unknown'], 'submitted'],
    [['delivered', 'submitted'], 'submitted'],
    [['delivered', 'delivered', 'delivered'], 'delivered'],
    [['delivered', 'undelivered', 'delivered'], 'undelivered'],
    [['pending', 'failed'], 'failed'],
    [['undelivered', 'failed'], 'failed'],
    [['failed', 'undelivered'], 'failed'],
    [['expired', 'undelivered'], 'undelivered'],
    [['expired', 'delivered'], 'expired'],
    [['unknown', 'pending'], undefined],
    [['unknown', 'delivered'], 'unknown'],
    [['unknown', 'unknown'], 'unknown'],
    [['unknown', 'undelivered'], 'undelivered'],
    [['unknown', 'failed'], 'failed'],
    [['expired', 'unknown'], 'expired'],
    [[], undefined],
  ] as [PartStatus[], string | undefined][])('%j -> %s', (statuses, expected) => {
    expect(rollUpParts(parts(...statuses))).toBe(expected);
  });
});

describe('partStatusForReceipt', () => {
  test.each([
    ['delivered', true, 'delivered'],
    ['undeliverable', true, 'undelivered'],
    ['rejected', true, 'undelivered'],
    ['deleted', true, 'undelivered'],
    ['expired', true, 'expired'],
    ['enroute', false, 'submitted'],
    ['delivered', false, 'submitted'],
    ['unknown', true, 'unknown'],
    ['unknown', false, 'submitted'],
    ['accepted', true, 'submitted'],
    ['enroute', true, 'submitted'],
  ] as const)('%s (final %s) -> %s', (state, final, expected) => {
    expect(partStatusForReceipt(state, final)).toBe(expected);
  });
});

describe('stored encoding', () => {
  test.each(['hello world', 'Ça coûte 5€ {ok}', 'こんにちは'.repeat(40), '🎉'.repeat(50)])('round-trips the codec output of %j', (text) => {
    const encoded = encodeText(text, { maxParts: 10, concatRef: 42 });
    const stored = toStoredEncoding(encoded);
    const restored = fromStoredEncoding(JSON.parse(JSON.stringify(stored)) as typeof stored);
    expect(restored.parts.map((p) => [p.seq, p.text, Buffer.from(p.payload).toString('hex'), p.units, p.concat])).toEqual(
      encoded.parts.map((p) => [p.seq, p.text, Buffer.from(p.payload).toString('hex'), p.units, p.concat]),
    );
    expect(restored.text).toBe(encoded.text);
    expect(restored.encoding).toBe(encoded.encoding);
  });
});
