/**
 * The dispatch acknowledgements of one turn of the event loop, sent as one XACK and one XDEL per stream.
 *
 * Every message sent acknowledges its own queue entry, and the replies of one pipelined write (submit answers, the
 * status changes after them) settle in the same turn. Acknowledged one by one, that was two commands a message;
 * gathered until the turn's promise jobs have run (`process.nextTick` runs after them), it is two a turn.
 * A caller's promise settles with its stream's commands: the entry is acknowledged once it resolves, and left
 * pending (for the reclaim) when it rejects, as before.
 */
import type { RedisClient } from './redis-connection.ts';

interface StreamBatch {
  readonly ids: string[];
  readonly done: Promise<void>;
  readonly resolve: (this: void) => void;
  readonly reject: (this: void, error: unknown) => void;
}

export class TurnAcks {
  private batches = new Map<string, StreamBatch>();
  private scheduled = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly group: string,
  ) {}

  /** Acknowledges and deletes `id` of `stream` with the rest of this turn's; resolves once Redis has done both. */
  add(stream: string, id: string): Promise<void> {
    let batch = this.batches.get(stream);
    if (batch === undefined) {
      batch = newBatch();
      this.batches.set(stream, batch);
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(flushTurn, this);
      }
    }
    batch.ids.push(id);
    return batch.done;
  }

  flush(): void {
    this.scheduled = false;
    const batches = this.batches;
    this.batches = new Map();
    for (const [stream, batch] of batches) {
      Promise.all([this.redis.xack(stream, this.group, ...batch.ids), this.redis.xdel(stream, ...batch.ids)]).then(batch.resolve, batch.reject);
    }
  }
}

function flushTurn(acks: TurnAcks): void {
  acks.flush();
}

function newBatch(): StreamBatch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((ok, fail) => {
    // Settled with nothing: the callers wait for the commands, not for their replies.
    resolve = () => ok();
    reject = fail;
  });
  return { ids: [], done, resolve, reject };
}
