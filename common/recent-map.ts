/**
 * A map that keeps roughly the most recent `capacity` entries: two generations, the newer one taking writes;
 * when it fills to half the capacity the older one is dropped whole and the newer one takes its place.
 *
 * Why not one Map trimmed from its oldest key: V8 leaves deleted entries as holes until it rehashes, so
 * `keys().next()` on a map that is trimmed from the front walks ever more holes; at a few hundred thousand
 * entries that turned every insert into a scan and stalled the gateway.
 */
export class RecentMap<K, V> {
  private newer = new Map<K, V>();
  private older = new Map<K, V>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(1, Math.ceil(capacity / 2));
  }

  set(key: K, value: V): this {
    this.newer.set(key, value);
    // An entry moved to the newer generation must not be found (stale) in the older one.
    this.older.delete(key);
    if (this.newer.size >= this.generation) {
      this.older = this.newer;
      this.newer = new Map();
    }
    return this;
  }

  get(key: K): V | undefined {
    return this.newer.get(key) ?? this.older.get(key);
  }

  has(key: K): boolean {
    return this.newer.has(key) || this.older.has(key);
  }

  delete(key: K): boolean {
    const a = this.newer.delete(key);
    const b = this.older.delete(key);
    return a || b;
  }

  get size(): number {
    return this.newer.size + this.older.size;
  }
}
