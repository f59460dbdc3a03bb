/**
 * mulberry32: a small, fast, seeded 32-bit generator. The same seed gives the same sequence everywhere, so a
 * simulator scenario repeats run after run and every client of a benchmark gets the same load. Not for secrets.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
