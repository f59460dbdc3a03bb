/**
 * Route queues on Redis Streams: one stream per connector and lane, one consumer group (`dispatch`), so an
 * entry read by a worker stays pending until acknowledged. Each consumer holds a lease key it renews while it
 * lives; reclaim lists idle pending entries (XPENDING IDLE) and claims (XCLAIM) only those of consumers whose
 * lease key is gone. Acknowledged entries are deleted, so the stream holds only unfinished work; the acknowledgements
 * of one turn go out together (turn-acks.ts). Delayed entries wait in a sorted set until due. Blocking reads use a
 * connection of their own per connector.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-connection.ts';
import { LANES, type Lane } from '../../messages/message-record.ts';
import type { LaneDepth, QueueEntry, QueueItem, RouteQueue } from '../../ports/route-queue.ts';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';
import { TurnAcks } from './turn-acks.ts';

export const DISPATCH_GROUP = 'dispatch';
const RECLAIM_PAGE = 500;

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

/**
 * KEYS: the streams of a connector's lanes. ARGV: group. Creates the group (and the stream) where it is missing.
 * A script, not XGROUP from the client: the script names its keys, so a Redis Cluster client sends it to the
 * streams' master (ioredis finds no key in an XGROUP command and would group it with another master's commands).
 */
const ENSURE_GROUPS = new RedisScript(`
for i = 1, #KEYS do
  local reply = redis.pcall('XGROUP', 'CREATE', KEYS[i], ARGV[1], '0', 'MKSTREAM')
  if type(reply) == 'table' and reply.err and not string.find(reply.err, '^BUSYGROUP') then return redis.error_reply(reply.err) end
end
return #KEYS
`);

type StreamReply = [string, [string, string[]][]][] | null;

export function scheduleMember(streamKey: string, item: QueueItem): string {
  return JSON.stringify({ k: streamKey, m: item.messageId, a: item.attempt, n: randomUUID() });
}

export class RedisRouteQueue implements RouteQueue {
  private readonly groups = new Set<string>();
  private readonly blocking = new Map<string, RedisClient>();
  private readonly acks: TurnAcks;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    this.acks = new TurnAcks(redis, DISPATCH_GROUP);
  }

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

  ack(connectorId: string, entries: readonly Pick<QueueEntry, 'entryId' | 'lane'>[]): Promise<void> {
    const done = new Set<Promise<void>>();
    for (const entry of entries) done.add(this.acks.add(this.keys.routeStream(connectorId, entry.lane), entry.entryId));
    // A dispatch acknowledges one entry at a time: its stream's promise, without another around it.
    if (done.size <= 1) return done.values().next().value ?? Promise.resolve();
    return Promise.all(done).then(() => undefined);
  }

  async heartbeat(consumer: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.consumerLease(consumer), '1', 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async retire(consumer: string): Promise<void> {
    await this.redis.del(this.keys.consumerLease(consumer));
  }

  async reclaim(connectorId: string, consumer: string, minIdleMs: number, count: number, held?: ReadonlySet<string>): Promise<readonly QueueEntry[]> {
    await this.ensureGroups(connectorId);
    const claimed: QueueEntry[] = [];
    for (const lane of LANES) {
      if (claimed.length >= count) break;
      const stream = this.keys.routeStream(connectorId, lane);
      const rows = await this.idleOfDeadConsumers(stream, consumer, minIdleMs, count - claimed.length, held);
      if (rows.length === 0) continue;
      // XCLAIM checks the idle time again, so an entry its owner touched meanwhile stays with it; entries deleted
      // since (acknowledged) come back as nothing.
      const items = (await this.redis.xclaim(stream, DISPATCH_GROUP, consumer, minIdleMs, ...rows.map((row) => row.id))) as
        ([string, string[]] | null)[];
      const deliveries = new Map(rows.map((row) => [row.id, row.deliveries + 1]));
      for (const item of items) {
        if (item === null || item[1] === null) continue;
        claimed.push(entryFrom(item[0], item[1], lane, deliveries.get(item[0]) ?? 2));
      }
    }
    return claimed;
  }

  /** Pending entries idle for `minIdleMs` whose consumer holds no lease (or is `self` and does not hold them). */
  private async idleOfDeadConsumers(
    stream: string,
    self: string,
    minIdleMs: number,
    count: number,
    held: ReadonlySet<string> | undefined,
  ): Promise<{ id: string; deliveries: number }[]> {
    const found: { id: string; deliveries: number }[] = [];
    const alive = new Map<string, boolean>();
    let start = '-';
    // Live consumers can hold many idle entries (a throttled carrier): page past them, a bounded number of pages.
    for (let page = 0; page < 20 && found.length < count; page += 1) {
      const rows = (await this.redis.xpending(stream, DISPATCH_GROUP, 'IDLE', minIdleMs, start, '+', RECLAIM_PAGE)) as
        [string, string, number, number][];
      if (rows.length === 0) break;
      const unknown = [...new Set(rows.map((row) => row[1]))].filter((name) => name !== self && !alive.has(name));
      if (unknown.length > 0) {
        const pipeline = this.redis.pipeline();
        for (const name of unknown) pipeline.exists(this.keys.consumerLease(name));
        const replies = (await pipeline.exec()) ?? [];
        unknown.forEach((name, index) => alive.set(name, Number(replies[index]?.[1] ?? 0) > 0));
      }
      for (const [id, owner, , deliveries] of rows) {
        if (found.length >= count) break;
        const take = owner === self ? held?.has(id) !== true : alive.get(owner) === false;
        if (take) found.push({ id, deliveries: Number(deliveries) });
      }
      if (rows.length < RECLAIM_PAGE) break;
      start = `(${(rows[rows.length - 1] as [string, ...unknown[]])[0]}`;
    }
    return found;
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

  private blockingClient(connectorId: string): RedisClient {
    let client = this.blocking.get(connectorId);
    if (client === undefined) {
      client = this.redis.duplicate();
      this.blocking.set(connectorId, client);
    }
    return client;
  }

  private async ensureGroups(connectorId: string): Promise<void> {
    if (this.groups.has(connectorId)) return;
    await ENSURE_GROUPS.run(this.redis, LANES.map((lane) => this.keys.routeStream(connectorId, lane)), [DISPATCH_GROUP]);
    this.groups.add(connectorId);
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
