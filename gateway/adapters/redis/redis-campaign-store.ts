/**
 * Campaigns on Redis, every key of one campaign under its id's hash tag: a hash (`c` the campaign as made, JSON;
 * `s` the state; `v` the count of state changes; `k` the cursor; `f` the index of the submit in flight, absent
 * when none; `<stamp>` the times of state changes; `n:<status>` the per-status counts and `n:clicked`), a hash of
 * recipients (index -> compact JSON, so 100,000 recipients are some 20 MB), a hash of numbers (E.164 -> index,
 * for clicks) and the runner's lease. Each recipient change is one script that moves the recipient and its
 * counters together, and only forward; a claim reads the state in the same script, so it and a state change
 * (pause, cancel) exclude each other (see ports/campaign-store.ts).
 */
import type { RedisClient } from './redis-connection.ts';
import { gatewayError } from '../../errors.ts';
import {
  RECIPIENT_STATUSES,
  type CampaignRecipient,
  type CampaignRecord,
  type CampaignStamp,
  type CampaignState,
  type CampaignStore,
  type NewCampaign,
  type NewRecipient,
  type RecipientChange,
  type RecipientStatus,
} from '../../ports/campaign-store.ts';
import type { RedisKeys } from './redis-keys.ts';
import { releaseLease, takeLease } from './redis-lease.ts';
import { RedisScript } from './redis-script.ts';

const STAMPS: readonly CampaignStamp[] = ['scheduledAt', 'startedAt', 'pausedAt', 'resumedAt', 'completedAt', 'canceledAt'];
const CHUNK = 1_000;

/** KEYS: record. ARGV: to, stamp field ('' for none), at, from states... Answers 1 when moved. */
const TRANSITION = new RedisScript(`
local s = redis.call('HGET', KEYS[1], 's')
if not s then return 0 end
for i = 4, #ARGV do
  if ARGV[i] == s then
    redis.call('HSET', KEYS[1], 's', ARGV[1])
    redis.call('HINCRBY', KEYS[1], 'v', 1)
    if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], ARGV[2], ARGV[3]) end
    return 1
  end
end
return 0
`);

/**
 * A recipient's step forward (shared by the scripts below): moves it and its counters; answers 1 when it moved.
 * A step that names a message is taken only by the recipient claimed with that message.
 */
const STEP = `
local rank = { pending = 0, queued = 1, sent = 2, delivered = 3, failed = 3, canceled = 3 }
local stamp = { queued = 'queuedAt', sent = 'sentAt', delivered = 'deliveredAt', failed = 'failedAt', canceled = 'canceledAt' }
local function step(record, recipients, index, r, status, at, messageId, error)
  if rank[status] <= rank[r.status] or (messageId ~= '' and r.messageId ~= messageId) then return 0 end
  redis.call('HINCRBY', record, 'n:' .. r.status, -1)
  redis.call('HINCRBY', record, 'n:' .. status, 1)
  r.status = status
  r[stamp[status]] = tonumber(at)
  if messageId ~= '' then r.messageId = messageId end
  if error ~= '' then r.error = error end
  redis.call('HSET', recipients, index, cjson.encode(r))
  return 1
end
`;

/** KEYS: record, recipients. ARGV: index, status, at, messageId, error. Answers 1 when moved. */
const MOVE = new RedisScript(`${STEP}
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then return 0 end
return step(KEYS[1], KEYS[2], ARGV[1], cjson.decode(raw), ARGV[2], ARGV[3], ARGV[4], ARGV[5])
`);

/**
 * KEYS: record, recipients. ARGV: index, messageId, at. Only while running, with the cursor at the index, nothing
 * in flight and the recipient pending: queued with the message id, cursor past it, in flight. Answers 1 when claimed.
 */
const CLAIM = new RedisScript(`${STEP}
local h = redis.call('HMGET', KEYS[1], 's', 'k', 'f')
if h[1] ~= 'running' or tonumber(h[2] or '0') ~= tonumber(ARGV[1]) or h[3] then return 0 end
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then return 0 end
local r = cjson.decode(raw)
if r.status ~= 'pending' then return 0 end
r.messageId = ARGV[2]
step(KEYS[1], KEYS[2], ARGV[1], r, 'queued', ARGV[3], ARGV[2], '')
redis.call('HSET', KEYS[1], 'k', tonumber(ARGV[1]) + 1, 'f', ARGV[1])
return 1
`);

/** KEYS: record, recipients. ARGV: index, messageId. Keeps the stored id, clears the mark; answers the state. */
const CONFIRM = new RedisScript(`
local s = redis.call('HGET', KEYS[1], 's')
if not s then return false end
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if raw then
  local r = cjson.decode(raw)
  if r.messageId ~= ARGV[2] then
    r.messageId = ARGV[2]
    redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(r))
  end
end
if redis.call('HGET', KEYS[1], 'f') == ARGV[1] then redis.call('HDEL', KEYS[1], 'f') end
return s
`);

/**
 * KEYS: record, recipients. ARGV: index, status (failed | canceled), at, error. The submit in flight made no message:
 * the queued recipient moves on without the claimed id; the mark is cleared. Answers 1 when it moved.
 */
const UNSENT = new RedisScript(`${STEP}
if redis.call('HGET', KEYS[1], 'f') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'f')
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then return 0 end
local r = cjson.decode(raw)
if r.status ~= 'queued' then return 0 end
r.messageId = nil
return step(KEYS[1], KEYS[2], ARGV[1], r, ARGV[2], ARGV[3], '', ARGV[4])
`);

/** KEYS: record, recipients. ARGV: first index, last index, at. The pending recipients of the range canceled; answers how many. */
const CANCEL_PENDING = new RedisScript(`${STEP}
local canceled = 0
for index = tonumber(ARGV[1]), tonumber(ARGV[2]) do
  local raw = redis.call('HGET', KEYS[2], index)
  if raw then
    local r = cjson.decode(raw)
    if r.status == 'pending' then canceled = canceled + step(KEYS[1], KEYS[2], index, r, 'canceled', ARGV[3], '', '') end
  end
end
return canceled
`);

/** KEYS: record, recipients, numbers. ARGV: to, at. Answers 1 for the first click. */
const CLICK = new RedisScript(`
local index = redis.call('HGET', KEYS[3], ARGV[1])
if not index then return 0 end
local raw = redis.call('HGET', KEYS[2], index)
if not raw then return 0 end
local r = cjson.decode(raw)
if r.clickedAt then return 0 end
r.clickedAt = tonumber(ARGV[2])
redis.call('HSET', KEYS[2], index, cjson.encode(r))
redis.call('HINCRBY', KEYS[1], 'n:clicked', 1)
return 1
`);

/** KEYS: recipients. ARGV: index, link. */
const LINKED = new RedisScript(`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local r = cjson.decode(raw)
r.link = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(r))
return 1
`);



export class RedisCampaignStore implements CampaignStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async create(campaign: NewCampaign, recipients: readonly NewRecipient[]): Promise<void> {
    const keys = this.keys.campaign(campaign.id);
    for (let start = 0; start < recipients.length; start += CHUNK) {
      const batch = this.redis.pipeline();
      const fields: string[] = [];
      const numbers: string[] = [];
      recipients.slice(start, start + CHUNK).forEach((recipient, offset) => {
        const index = start + offset;
        fields.push(String(index), JSON.stringify({ ...recipient, index, status: 'pending' }));
        numbers.push(recipient.to, String(index));
      });
      batch.hset(keys.recipients, ...fields);
      batch.hset(keys.numbers, ...numbers);
      await batch.exec();
    }
    const counts = RECIPIENT_STATUSES.flatMap((status) => [`n:${status}`, status === 'pending' ? recipients.length : 0]);
    if (campaign.state === 'scheduled' || campaign.state === 'running') await this.redis.sadd(this.keys.campaignsActive, campaign.id);
    // The listing before the record (they sit on different slots of a Redis Cluster; a listing skips an id
    // without a record), and the record last: a campaign is read only once its recipients are all there.
    await this.redis.zadd(this.keys.campaignIndex(campaign.accountId), campaign.createdAt, campaign.id);
    await this.redis.hset(keys.record, 'c', JSON.stringify(campaign), 's', campaign.state, 'v', 0, 'k', 0, 'n:clicked', 0, ...counts);
  }

  async get(id: string): Promise<CampaignRecord | undefined> {
    const hash = await this.redis.hgetall(this.keys.campaign(id).record);
    if (hash.c === undefined) return undefined;
    let campaign: NewCampaign;
    try {
      campaign = JSON.parse(hash.c) as NewCampaign;
    } catch (error: unknown) {
      throw gatewayError('GW_CORRUPT_RECORD', `campaign ${id} could not be read`, { campaign: id }, { cause: error });
    }
    const stamps: Partial<Record<CampaignStamp, number>> = {};
    for (const stamp of STAMPS) if (hash[stamp] !== undefined) stamps[stamp] = Number(hash[stamp]);
    const counts = { clicked: Number(hash['n:clicked'] ?? 0) } as Record<RecipientStatus | 'clicked', number>;
    for (const status of RECIPIENT_STATUSES) counts[status] = Number(hash[`n:${status}`] ?? 0);
    return {
      ...campaign,
      state: hash.s as CampaignState,
      stamps,
      cursor: Number(hash.k ?? 0),
      ...(hash.f === undefined ? {} : { inFlight: Number(hash.f) }),
      revision: Number(hash.v ?? 0),
      counts,
    };
  }

  async list(accountId: string, limit: number): Promise<CampaignRecord[]> {
    const ids = await this.redis.zrevrange(this.keys.campaignIndex(accountId), 0, limit - 1);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((record): record is CampaignRecord => record !== undefined);
  }

  async active(): Promise<string[]> {
    const ids = await this.redis.smembers(this.keys.campaignsActive);
    const states = await Promise.all(ids.map((id) => this.redis.hget(this.keys.campaign(id).record, 's')));
    const done = ids.filter((_id, i) => states[i] !== 'scheduled' && states[i] !== 'running' && states[i] !== 'paused');
    if (done.length > 0) await this.redis.srem(this.keys.campaignsActive, ...done);
    return ids.filter((_id, i) => states[i] === 'scheduled' || states[i] === 'running');
  }

  async transition(id: string, from: readonly CampaignState[], to: CampaignState, stamp: CampaignStamp | undefined, at: number): Promise<CampaignRecord | undefined> {
    // Into the active set first: a process that stops between the two steps leaves a superset, never a gap.
    if (to === 'scheduled' || to === 'running') await this.redis.sadd(this.keys.campaignsActive, id);
    const moved = await TRANSITION.run(this.redis, [this.keys.campaign(id).record], [to, stamp ?? '', at, ...from]);
    if (moved !== 1) return undefined;
    return this.get(id);
  }

  async recipients(id: string, start: number, count: number): Promise<CampaignRecipient[]> {
    if (count <= 0) return [];
    const indexes = Array.from({ length: count }, (_v, i) => String(start + i));
    const raws = await this.redis.hmget(this.keys.campaign(id).recipients, ...indexes);
    const out: CampaignRecipient[] = [];
    for (const raw of raws) {
      if (raw === null) break;
      try {
        out.push(JSON.parse(raw) as CampaignRecipient);
      } catch (error: unknown) {
        throw gatewayError('GW_CORRUPT_RECORD', `a recipient of campaign ${id} could not be read`, { campaign: id }, { cause: error });
      }
    }
    return out;
  }

  async linked(id: string, index: number, link: string): Promise<void> {
    await LINKED.run(this.redis, [this.keys.campaign(id).recipients], [index, link]);
  }

  async claim(id: string, index: number, messageId: string, at: number): Promise<boolean> {
    const keys = this.keys.campaign(id);
    return (await CLAIM.run(this.redis, [keys.record, keys.recipients], [index, messageId, at])) === 1;
  }

  async confirm(id: string, index: number, messageId: string): Promise<CampaignState | undefined> {
    const keys = this.keys.campaign(id);
    const state = await CONFIRM.run(this.redis, [keys.record, keys.recipients], [index, messageId]);
    return typeof state === 'string' ? (state as CampaignState) : undefined;
  }

  async unsent(id: string, index: number, change: { readonly status: 'failed' | 'canceled'; readonly at: number; readonly error?: string }): Promise<boolean> {
    const keys = this.keys.campaign(id);
    return (await UNSENT.run(this.redis, [keys.record, keys.recipients], [index, change.status, change.at, change.error ?? ''])) === 1;
  }

  async update(id: string, index: number, change: RecipientChange): Promise<boolean> {
    const keys = this.keys.campaign(id);
    const args = [index, change.status, change.at, change.messageId ?? '', change.error ?? ''];
    return (await MOVE.run(this.redis, [keys.record, keys.recipients], args)) === 1;
  }

  async clicked(id: string, to: string, at: number): Promise<boolean> {
    const keys = this.keys.campaign(id);
    return (await CLICK.run(this.redis, [keys.record, keys.recipients, keys.numbers], [to, at])) === 1;
  }

  async cancelRest(id: string, at: number): Promise<number> {
    const record = await this.get(id);
    if (record === undefined) return 0;
    const keys = this.keys.campaign(id);
    let canceled = 0;
    // A chunk per script: Redis serves other clients between them.
    for (let start = record.cursor; start < record.total; start += CHUNK) {
      canceled += Number(await CANCEL_PENDING.run(this.redis, [keys.record, keys.recipients], [start, Math.min(record.total, start + CHUNK) - 1, at]));
    }
    await this.redis.hset(keys.record, 'k', record.total);
    return canceled;
  }

  async lease(id: string, owner: string, ttlMs: number): Promise<boolean> {
    return takeLease(this.redis, this.keys.campaign(id).lease, owner, ttlMs);
  }

  async release(id: string, owner: string): Promise<void> {
    await releaseLease(this.redis, this.keys.campaign(id).lease, owner);
  }

}
