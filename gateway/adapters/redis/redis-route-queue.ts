/**
 * Route queues on Redis Streams: one stream per connector and lane, one consumer group (`dispatch`), so an
 * entry read by a worker stays pending until acknowledged and a dead worker's entries are reclaimed with
 * XAUTOCLAIM. Acknowledged entries are deleted, so the stream holds only unfinished work. Delayed entries wait in
 * a sorted set until due. Blocking reads use a connection of their own per connector.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LANES, type Lane } from '../../messages/message-record.ts';
import type { LaneDepth, QueueEntry, QueueItem, RouteQueue } from '../../ports/route-queue.ts';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';

export const DISPATCH_GROUP = 'dispatch';

/** Moves due schedule members into their streams; a member is JSON naming its stream key. */
const MOVE_DUE = new RedisScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  local entry = cjson.decode(member)
  redis.call('XADD', entry.k, '*', 'm', entry.m, 'a', tostring(entry.a))
  redis.call('ZREM', KEYS[1], member)
end
return #due
`);

type StreamReply = [string, [string, string[]][]][] | null;

export function scheduleMember(streamKey: string, item: QueueItem): string {
  return JSON.stringify({ k: streamKey, m: item.messageId, a: item.attempt, n: randomUUID() });
}

export class RedisRouteQueue implements RouteQueue {
  private readonly groups = new Set<string>();
  private readonly blocking = new Map<string, Redis>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async enqueue(connectorId: string, lane: Lane, item: QueueItem): Promise<void> {
    await this.redis.xadd(this.keys.routeStream(connectorId, lane), '*', 'm', item.messageId, 'a', String(item.attempt));
  }

  async schedule(connectorId: string, lane: Lane, item: QueueItem, at: number): Promise<void> {
    await this.redis.zadd(this.keys.schedule, at, scheduleMember(this.keys.routeStream(connectorId, lane), item));
  }

  async moveDue(now: number, limit: number): Promise<number> {
    return Number(await MOVE_DUE.run(this.redis, [this.keys.schedule], [now, limit]));
  }

  async read(connectorId: string, consumer: string, count: number, blockMs: number): Promise<readonly QueueEntry[]> {
    await this.ensureGroups(connectorId);
    const entries: QueueEntry[] = [];
    // Lanes one at a time, highest first, so a bulk backlog never fills a batch ahead of an OTP.
    for (const lane of LANES) {
      if (entries.length >= count) break;
      const reply = (await this.redis.xreadgroup(
        'GROUP', DISPATCH_GROUP, consumer, 'COUNT', count - entries.length,
        'STREAMS', this.keys.routeStream(connectorId, lane), '>',
      )) as StreamReply;
      entries.push(...toEntries(reply, lane, 1));
    }
    if (entries.length > 0 || blockMs <= 0) return entries;
    const streams = LANES.map((lane) => this.keys.routeStream(connectorId, lane));
    const reply = (await this.blockingClient(connectorId).xreadgroup(
      'GROUP', DISPATCH_GROUP, consumer, 'COUNT', count, 'BLOCK', blockMs,
      'STREAMS', ...streams, ...LANES.map(() => '>'),
    )) as StreamReply;
    for (const [stream, items] of reply ?? []) {
      const lane = LANES[streams.indexOf(stream)] ?? 'normal';
      entries.push(...toEntries([[stream, items]], lane, 1));
    }
    return entries;
  }

  async ack(connectorId: string, entries: readonly Pick<QueueEntry, 'entryId' | 'lane'>[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const lane of LANES) {
      const ids = entries.filter((entry) => entry.lane === lane).map((entry) => entry.entryId);
      if (ids.length === 0) continue;
      const stream = this.keys.routeStream(connectorId, lane);
      pipeline.xack(stream, DISPATCH_GROUP, ...ids);
      pipeline.xdel(stream, ...ids);
    }
    await pipeline.exec();
  }

  async reclaim(connectorId: string, consumer: string, minIdleMs: number, count: number): Promise<readonly QueueEntry[]> {
    await this.ensureGroups(connectorId);
    const claimed: QueueEntry[] = [];
    for (const lane of LANES) {
      if (claimed.length >= count) break;
      const stream = this.keys.routeStream(connectorId, lane);
      const [, items] = (await this.redis.xautoclaim(
        stream, DISPATCH_GROUP, consumer, minIdleMs, '0-0', 'COUNT', count - claimed.length,
      )) as [string, [string, string[] | null][]];
      const live = items.filter((item): item is [string, string[]] => item[1] !== null);
      if (live.length === 0) continue;
      const deliveries = await this.deliveryCounts(stream, consumer, live.map(([id]) => id));
      for (const [entryId, fields] of live) {
        claimed.push(entryFrom(entryId, fields, lane, deliveries.get(entryId) ?? 2));
      }
    }
    return claimed;
  }

  async depth(connectorId: string): Promise<readonly LaneDepth[]> {
    await this.ensureGroups(connectorId);
    const pipeline = this.redis.pipeline();
    for (const lane of LANES) {
      const stream = this.keys.routeStream(connectorId, lane);
      pipeline.xlen(stream);
      pipeline.xpending(stream, DISPATCH_GROUP);
    }
    const results = (await pipeline.exec()) ?? [];
    return LANES.map((lane, index) => {
      const length = Number(results[index * 2]?.[1] ?? 0);
      const pendingReply = results[index * 2 + 1]?.[1] as [number | string, ...unknown[]] | undefined;
      const pending = Number(pendingReply?.[0] ?? 0);
      return { lane, waiting: Math.max(0, length - pending), pending };
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.blocking.values()].map((client) => client.quit().catch(() => client.disconnect())));
    this.blocking.clear();
  }

  private blockingClient(connectorId: string): Redis {
    let client = this.blocking.get(connectorId);
    if (client === undefined) {
      client = this.redis.duplicate();
      this.blocking.set(connectorId, client);
    }
    return client;
  }

  private async ensureGroups(connectorId: string): Promise<void> {
    if (this.groups.has(connectorId)) return;
    for (const lane of LANES) {
      try {
        await this.redis.xgroup('CREATE', this.keys.routeStream(connectorId, lane), DISPATCH_GROUP, '0', 'MKSTREAM');
      } catch (error: unknown) {
        if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
      }
    }
    this.groups.add(connectorId);
  }

  private async deliveryCounts(stream: string, consumer: string, ids: readonly string[]): Promise<Map<string, number>> {
    const first = ids[0] as string;
    const last = ids[ids.length - 1] as string;
    const rows = (await this.redis.xpending(stream, DISPATCH_GROUP, first, last, ids.length, consumer)) as [
      string,
      string,
      number,
      number,
    ][];
    return new Map(rows.map(([id, , , deliveries]) => [id, Number(deliveries)]));
  }
}

function toEntries(reply: StreamReply, lane: Lane, deliveries: number): QueueEntry[] {
  const entries: QueueEntry[] = [];
  for (const [, items] of reply ?? []) {
    for (const [entryId, fields] of items) entries.push(entryFrom(entryId, fields, lane, deliveries));
  }
  return entries;
}

function entryFrom(entryId: string, fields: readonly string[], lane: Lane, deliveries: number): QueueEntry {
  let messageId = '';
  let attempt = 0;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'm') messageId = fields[i + 1] ?? '';
    else if (fields[i] === 'a') attempt = Number(fields[i + 1]);
  }
  return { entryId, lane, messageId, attempt, deliveries };
}
