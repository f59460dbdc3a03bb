import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../../drivers/codec/index.ts';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('hex', () => {
  test.each([
    ['', []],
    ['00', [0]],
    ['0A1bFf', [0x0a, 0x1b, 0xff]],
    ['07 91 44\n77', [0x07, 0x91, 0x44, 0x77]],
    ['07 91 '.repeat(20), Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 0x07 : 0x91))],
  ])('fromHex(%j)', (text, bytes) => {
    expect([...fromHex(text)]).toEqual(bytes);
  });

  test('toHex is uppercase and round-trips any octets, also beyond one chunk', () => {
    expect(toHex(Uint8Array.of(0xab, 0x01))).toBe('AB01');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 10_000 }), (bytes) => {
        const hex = toHex(bytes);
        expect(hex).toBe(Buffer.from(bytes).toString('hex').toUpperCase());
        expect(fromHex(hex)).toEqual(bytes);
      }),
      { numRuns: 50 },
    );
  });

  test.each([
    ['0', 0, 'odd number of hex digits'],
    ['00G0', 2, 'not a hex digit'],
    ['0 0', 1, 'whitespace inside an octet'],
    ['0x00', 1, 'not a hex digit'],
    ['00é0', 2, 'not a hex digit'],
    // Beyond Latin-1, in texts long enough for the native decoder, which reads only a character's low byte and
    // would take these for '0' and 'a'.
    [`${'00'.repeat(20)}0\u0130`, 41, 'not a hex digit'],
    [`\u06610${'00'.repeat(20)}`, 0, 'not a hex digit'],
    [`${'AB'.repeat(20)}0G`, 41, 'not a hex digit'],
    [`${'AB'.repeat(20)}0 0`, 41, 'whitespace inside an octet'],
  ])('rejects %j at offset %i', (text, offset, reason) => {
    expect(() => fromHex(text)).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_HEX' }));
    expect(thrown(() => fromHex(text))).toMatchObject({ details: { offset, reason } });
  });
});
