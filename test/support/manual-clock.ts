/**
 * The one manual clock of the test suite, for code that takes time as `schedule(ms, task) => cancel` and a `now`
 * (the modem driver and engine, the SMPP connector). `advance(ms)` runs whatever falls due in time order and lets
 * promises and in-memory I/O settle after each step, so a test follows hours of timeouts in milliseconds and never
 * sleeps.
 */
interface Task {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
  cancelled: boolean;
}

export class ManualClock {
  now = Date.UTC(2026, 0, 15, 3, 4, 5);
  private tasks: Task[] = [];
  private order = 0;

  readonly schedule = (ms: number, run: () => void): (() => void) => {
    const task: Task = { at: this.now + Math.max(0, ms), order: this.order++, run, cancelled: false };
    this.tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  };

  /** Lets every promise chain and byte in flight settle (nothing here waits on real time). */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await this.settle();
      this.tasks = this.tasks.filter((t) => !t.cancelled);
      const due = this.tasks.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (due === undefined) break;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.run();
    }
    this.now = until;
    await this.settle();
  }

  /** Advances in steps until `check` holds; fails after `limitMs` of clock time. Returns the clock time it took. */
  async until(what: string, check: () => boolean, limitMs: number, stepMs = 50): Promise<number> {
    const start = this.now;
    while (!check()) {
      if (this.now - start > limitMs) throw new Error(`${what}: not within ${limitMs} ms of clock time`);
      await this.advance(stepMs);
    }
    return this.now - start;
  }
}
