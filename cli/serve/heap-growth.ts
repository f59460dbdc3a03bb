import { setFlagsFromString } from 'node:v8';
import { cliError } from '../cli-errors.ts';
import { wholeNumber } from '../whole-number.ts';

/**
 * How far V8 lets the old generation grow past what survived the last full collection, in percent.
 *
 * Left to itself V8 allows up to 4x when collections are cheap next to the work between them, which is the
 * gateway's case under load: about 100 MiB live made a heap of nearly 400, reached only after the first full cycles
 * at a new rate, so RSS stepped up long after start. 3x (200) reaches its size sooner and smaller; 2x (100) cost
 * about a quarter more CPU in the Redis mode for its many more full collections (README "The process's heap").
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 200;
const MIN_PERCENT = 10;
const MAX_PERCENT = 300;

/** `--heap-growth`: 0 (V8 sizes the heap its own way) or a whole percent from 10 to 300. */
export function parseHeapGrowth(value: string): number {
  const percent = wholeNumber(value);
  if (percent === undefined || (percent !== 0 && (percent < MIN_PERCENT || percent > MAX_PERCENT))) {
    throw cliError('CLI_INVALID_OPTION', `--heap-growth must be 0 or a whole percent from ${MIN_PERCENT} to ${MAX_PERCENT}, not "${value}"`, { field: 'heap-growth' });
  }
  return percent;
}

/** The V8 flag for `percent`, or undefined for 0 (V8's own sizing). */
export function heapGrowthFlag(percent: number): string | undefined {
  return percent === 0 ? undefined : `--heap-growing-percent=${percent}`;
}

/**
 * Applies `percent` to this process. V8 reads the flag at every full collection to size the next limit, so
 * setting it after start-up takes effect from the next one; node:cluster workers parse the same command line and
 * apply it themselves.
 */
export function applyHeapGrowth(percent: number): void {
  const flag = heapGrowthFlag(percent);
  if (flag !== undefined) setFlagsFromString(flag);
}
