import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { DEFAULT_HEAP_GROWTH_PERCENT, heapGrowthFlag, parseHeapGrowth } from '../../../cli/serve/heap-growth.ts';

const WORKLOAD = fileURLToPath(new URL('./fixtures/heap-workload.ts', import.meta.url));

test.each([
  ['0', 0],
  ['10', 10],
  ['100', 100],
  [' 300 ', 300],
])('--heap-growth %j is %d', (raw, percent) => {
  expect(parseHeapGrowth(raw)).toBe(percent);
});

test.each(['', 'abc', '-5', '5', '9', '301', '1.5', '1e2', '100%'])('--heap-growth %j is refused with CLI_INVALID_OPTION naming the option', (raw) => {
  expect(() => parseHeapGrowth(raw)).toThrow(expect.objectContaining({ code: 'CLI_INVALID_OPTION', details: { field: 'heap-growth' } }));
  expect(() => parseHeapGrowth(raw)).toThrow(`not "${raw}"`);
});

test('0 leaves V8 its own sizing; any other percent becomes V8 heap growing flag', () => {
  expect(heapGrowthFlag(0)).toBeUndefined();
  expect(heapGrowthFlag(100)).toBe('--heap-growing-percent=100');
  expect(DEFAULT_HEAP_GROWTH_PERCENT).toBe(200);
});

function peakHeap(percent: number): number {
  const run = spawnSync(process.execPath, ['--import', 'tsx', WORKLOAD, String(percent)], { encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { peakHeapBytes: number }).peakHeapBytes;
}

test('applied after start-up, the percent bounds how far the heap grows between full collections', () => {
  // Both explicit: V8's own factor depends on how fast collections run against the program, which a shared machine varies.
  const tight = peakHeap(10);
  const loose = peakHeap(300);
  expect(tight).toBeLessThan(loose * 0.75);
}, 90_000);
