/**
 * Runs callbacks at (or after) a due time with one timer for the whole queue instead of one per PDU: a binary
 * min-heap by due time, plus a batch of already-due work flushed on setImmediate. Thousands of delayed answers and
 * receipts per second then cost a heap push each, not a timer each.
 */

interface Entry {
  readonly due: number;
  /** Insertion order, so equal due times run first-in first-out. */
  readonly order: number;
  readonly run: () => void;
}

export class DueQueue {
  private readonly heap: Entry[] = [];
  private immediate: (() => void)[] = [];
  private immediateScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private order = 0;
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.heap.length + this.immediate.length;
  }

  /** Runs `run` after `delayMs` (0: in the next batch, after the current I/O). */
  after(delayMs: number, run: () => void): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      this.immediate.push(run);
      if (!this.immediateScheduled) {
        this.immediateScheduled = true;
        setImmediate(this.flushImmediate);
      }
      return;
    }
    const entry: Entry = { due: this.now() + delayMs, order: this.order++, run };
    this.push(entry);
    if (entry.due < this.timerDue) this.arm(entry.due);
  }

  /** Drops everything pending; nothing runs afterwards. */
  close(): void {
    this.closed = true;
    this.heap.length = 0;
    this.immediate = [];
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Forgets pending work but stays usable. */
  clear(): void {
    this.heap.length = 0;
    this.immediate = [];
  }

  private readonly flushImmediate = (): void => {
    this.immediateScheduled = false;
    const batch = this.immediate;
    this.immediate = [];
    for (const run of batch) run();
  };

  private arm(due: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(this.fire, Math.max(0, due - this.now()));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerDue = Infinity;
    const now = this.now();
    let top = this.heap[0];
    while (top !== undefined && top.due <= now) {
      this.pop();
      top.run();
      if (this.closed) return;
      top = this.heap[0];
    }
    if (top !== undefined) this.arm(top.due);
  };

  private less(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry;
      if (!this.less(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.less(heap[right] as Entry, heap[left] as Entry)) child = right;
      const c = heap[child] as Entry;
      if (!this.less(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }
}
