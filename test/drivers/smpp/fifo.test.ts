import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Fifo } from '../../../drivers/smpp/fifo.ts';

type Op = { op: 'push' | 'unshift'; value: number } | { op: 'shift' } | { op: 'remove'; below: number };

describe('Fifo', () => {
  test('behaves like an array under any sequence of operations (compaction included)', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('push' as const), value: fc.integer() }),
      fc.record({ op: fc.constant('unshift' as const), value: fc.integer() }),
      fc.record({ op: fc.constant('shift' as const) }),
      fc.record({ op: fc.constant('remove' as const), below: fc.integer() }),
    );
    fc.assert(
      fc.property(fc.array(op as fc.Arbitrary<Op>, { maxLength: 3000 }), (ops) => {
        const fifo = new Fifo<number>();
        const model: number[] = [];
        for (const o of ops) {
          if (o.op === 'push') {
            fifo.push(o.value);
            model.push(o.value);
          } else if (o.op === 'unshift') {
            fifo.unshift(o.value);
            model.unshift(o.value);
          } else if (o.op === 'shift') {
            expect(fifo.shift()).toBe(model.shift());
          } else if (o.op === 'remove') {
            const removed = fifo.removeWhere((v) => v < o.below);
            expect(removed).toEqual(model.filter((v) => v < o.below));
            model.splice(0, model.length, ...model.filter((v) => v >= o.below));
          }
          expect(fifo.length).toBe(model.length);
        }
      }),
      { numRuns: 50 },
    );
  });

  test('compacts after many shifts without losing order', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 5000; i++) fifo.push(i);
    for (let i = 0; i < 4000; i++) expect(fifo.shift()).toBe(i);
    fifo.unshift(-1);
    expect(fifo.shift()).toBe(-1);
    expect(fifo.shift()).toBe(4000);
    expect(fifo.length).toBe(999);
  });
});
