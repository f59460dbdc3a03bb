/**
 * Verifications on Redis: one hash per verification (expiring at its retention) and an index from (account,
 * number) to the latest one (expiring with its code). Every change is one script, so processes sharing the Redis
 * count attempts and approve atomically; each script answers its outcome followed by the hash's fields.
 */
import type { RedisClient } from './redis-connection.ts';
import {
  VERIFICATION_STATS_KEEP_DAYS,
  VERIFICATION_TALLY_ONCE_MS,
  verificationTag,
  verificationTagFor,
  type AttemptResult,
  type NewVerification,
  type OpenResult,
  type VerificationRecord,
  type VerificationDayCounts,
  type VerificationStatus,
  type VerificationStore,
  type VerificationTally,
} from '../../ports/verification-store.ts';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';

const ANSWER = `
local function answer(outcome, key)
  local fields = redis.call('HGETALL', key)
  table.insert(fields, 1, outcome)
  return fields
end
`;

/** KEYS: index, new record. ARGV: id, now, retain ms, doc, digest, expiresAt, maxAttempts, key of a record by id minus the id. */
const OPEN = new RedisScript(`${ANSWER}
local current = redis.call('GET', KEYS[1])
if current then
  local key = ARGV[8] .. current
  local state = redis.call('HMGET', key, 'status', 'exp')
  if state[1] == 'pending' and tonumber(state[2]) > tonumber(ARGV[2]) then return answer('existing', key) end
end
redis.call('HSET', KEYS[2], 'doc', ARGV[4], 'status', 'pending', 'digest', ARGV[5], 'exp', ARGV[6], 'max', ARGV[7],
  'att', 0, 'sends', 0, 'last', 0, 'msgs', '[]', 'upd', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'PX', math.max(1, tonumber(ARGV[6]) - tonumber(ARGV[2])))
return answer('opened', KEYS[2])
`);

/** KEYS: record, index. ARGV: now, message id, retain ms, new digest or '', its expiresAt or ''. */
const SENT = new RedisScript(`${ANSWER}
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return false end
local messages = cjson.decode(redis.call('HGET', KEYS[1], 'msgs'))
table.insert(messages, ARGV[2])
redis.call('HINCRBY', KEYS[1], 'sends', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1], 'upd', ARGV[1], 'msgs', cjson.encode(messages))
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'digest', ARGV[4], 'exp', ARGV[5])
  redis.call('PEXPIRE', KEYS[2], math.max(1, tonumber(ARGV[5]) - tonumber(ARGV[1])))
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return answer('sent', KEYS[1])
`);

/** KEYS: record. ARGV: now. */
const RESERVE = new RedisScript(`${ANSWER}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local state = redis.call('HMGET', KEYS[1], 'status', 'exp', 'att', 'max')
if state[1] ~= 'pending' then return answer('final', KEYS[1]) end
if tonumber(ARGV[1]) >= tonumber(state[2]) then
  redis.call('HSET', KEYS[1], 'status', 'expired', 'upd', ARGV[1])
  return answer('final', KEYS[1])
end
if tonumber(state[3]) >= tonumber(state[4]) then return answer('final', KEYS[1]) end
redis.call('HINCRBY', KEYS[1], 'att', 1)
redis.call('HSET', KEYS[1], 'upd', ARGV[1])
return answer('reserved', KEYS[1])
`);

/** KEYS: record. ARGV: '1' approved or '0', now. */
const SETTLE = new RedisScript(`${ANSWER}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local state = redis.call('HMGET', KEYS[1], 'status', 'att', 'max')
if state[1] ~= 'pending' then return answer('lost', KEYS[1]) end
if ARGV[1] == '1' then
  redis.call('HSET', KEYS[1], 'status', 'approved', 'upd', ARGV[2])
  return answer('won', KEYS[1])
end
if tonumber(state[2]) >= tonumber(state[3]) then redis.call('HSET', KEYS[1], 'status', 'max_attempts_reached', 'upd', ARGV[2]) end
return answer('lost', KEYS[1])
`);

/** KEYS: record. ARGV: now. */
const CANCEL = new RedisScript(`${ANSWER}
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return false end
redis.call('HSET', KEYS[1], 'status', 'canceled', 'upd', ARGV[1])
return answer('canceled', KEYS[1])
`);

/** KEYS: record. ARGV: now. Only a pending verification whose code has expired by now. */
const EXPIRE = new RedisScript(`${ANSWER}
local state = redis.call('HMGET', KEYS[1], 'status', 'exp')
if state[1] ~= 'pending' or tonumber(state[2]) > tonumber(ARGV[1]) then return false end
redis.call('HSET', KEYS[1], 'status', 'expired', 'upd', ARGV[1])
return answer('expired', KEYS[1])
`);

/** KEYS: day hash, once marker (or none). ARGV: count name, hash ttl s, marker ttl ms. */
const TALLY = new RedisScript(`
if KEYS[2] and redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) == false then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** The fields of a record that never change after it opens. */
type RecordDoc = Pick<VerificationRecord, 'id' | 'accountId' | 'to' | 'createdAt' | 'locale' | 'codeLength' | 'clientRef'>;

export class RedisVerificationStore implements VerificationStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async open(fresh: NewVerification, retainUntil: number): Promise<OpenResult> {
    const tag = verificationTag(fresh.id);
    const doc: RecordDoc = {
      id: fresh.id,
      accountId: fresh.accountId,
      to: fresh.to,
      createdAt: fresh.createdAt,
      locale: fresh.locale,
      codeLength: fresh.codeLength,
      ...(fresh.clientRef === undefined ? {} : { clientRef: fresh.clientRef }),
    };
    const byIdPrefix = this.keys.verification('', tag);
    const reply = await OPEN.run(
      this.redis,
      [this.keys.verificationIndex(tag, fresh.accountId, fresh.to), this.keys.verification(fresh.id, tag)],
      [fresh.id, fresh.createdAt, Math.max(1, retainUntil - fresh.createdAt), JSON.stringify(doc), fresh.digest, fresh.expiresAt, fresh.maxAttempts, byIdPrefix],
    );
    const [outcome, record] = readAnswer(reply);
    if (record === undefined) throw new Error('verification open script answered no record');
    // The sweep's list is apart from the verification's slot; losing this write only leaves the expiry to be
    // found at the next check instead of by the sweep.
    if (outcome === 'opened') await this.redis.zadd(this.keys.verificationDue, record.expiresAt, record.id);
    return { opened: outcome === 'opened', record };
  }

  async get(id: string): Promise<VerificationRecord | undefined> {
    const fields = await this.redis.hgetall(this.keys.verification(id, verificationTag(id)));
    return Object.keys(fields).length === 0 ? undefined : toRecord(fields);
  }

  async pending(accountId: string, to: string, now: number): Promise<VerificationRecord | undefined> {
    const id = await this.redis.get(this.keys.verificationIndex(verificationTagFor(accountId, to), accountId, to));
    if (id === null) return undefined;
    const record = await this.get(id);
    return record?.status === 'pending' && now < record.expiresAt ? record : undefined;
  }

  async sent(id: string, send: { at: number; messageId: string; code?: { digest: string; expiresAt: number } }, retainUntil: number): Promise<VerificationRecord | undefined> {
    const tag = verificationTag(id);
    const record = await this.get(id);
    if (record === undefined) return undefined;
    const reply = await SENT.run(
      this.redis,
      [this.keys.verification(id, tag), this.keys.verificationIndex(tag, record.accountId, record.to)],
      [send.at, send.messageId, Math.max(1, retainUntil - send.at), send.code?.digest ?? '', send.code?.expiresAt ?? ''],
    );
    const sent = readAnswer(reply)[1];
    if (sent !== undefined && send.code !== undefined) await this.redis.zadd(this.keys.verificationDue, sent.expiresAt, id);
    return sent;
  }

  async reserveAttempt(id: string, now: number): Promise<AttemptResult | undefined> {
    const [outcome, record] = readAnswer(await RESERVE.run(this.redis, [this.keys.verification(id, verificationTag(id))], [now]));
    return record === undefined ? undefined : { reserved: outcome === 'reserved', record };
  }

  async settle(id: string, approved: boolean, now: number): Promise<{ won: boolean; record: VerificationRecord } | undefined> {
    const [outcome, record] = readAnswer(await SETTLE.run(this.redis, [this.keys.verification(id, verificationTag(id))], [approved ? '1' : '0', now]));
    return record === undefined ? undefined : { won: outcome === 'won', record };
  }

  async cancel(id: string, now: number): Promise<VerificationRecord | undefined> {
    return readAnswer(await CANCEL.run(this.redis, [this.keys.verification(id, verificationTag(id))], [now]))[1];
  }

  async expireDue(now: number, limit: number): Promise<VerificationRecord[]> {
    const ids = await this.redis.zrangebyscore(this.keys.verificationDue, '-inf', now, 'LIMIT', 0, limit);
    const expired: VerificationRecord[] = [];
    for (const id of ids) {
      const [, record] = readAnswer(await EXPIRE.run(this.redis, [this.keys.verification(id, verificationTag(id))], [now]));
      if (record !== undefined) expired.push(record);
      await this.redis.zrem(this.keys.verificationDue, id);
    }
    return expired;
  }

  async tally(tally: VerificationTally): Promise<boolean> {
    const keys = this.keys.verificationStats(tally.accountId);
    const counted = await TALLY.run(
      this.redis,
      [keys.day(tally.day), ...(tally.once === undefined ? [] : [keys.once(tally.once)])],
      [tally.name, VERIFICATION_STATS_KEEP_DAYS * 86_400, VERIFICATION_TALLY_ONCE_MS],
    );
    return counted === 1;
  }

  async tallies(accountId: string, days: readonly string[]): Promise<VerificationDayCounts[]> {
    if (days.length === 0) return [];
    const keys = this.keys.verificationStats(accountId);
    // One account's days share its hash tag: one pipeline to one node, also on a Redis Cluster.
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(keys.day(day));
    const results = (await pipeline.exec()) ?? [];
    return days.map((day, index) => {
      const [error, hash] = results[index] ?? [null, {}];
      if (error !== null) throw error;
      return { day, counts: Object.fromEntries(Object.entries((hash ?? {}) as Record<string, string>).map(([name, value]) => [name, Number(value)])) };
    });
  }
}

function readAnswer(reply: unknown): [string | undefined, VerificationRecord | undefined] {
  if (!Array.isArray(reply) || reply.length === 0) return [undefined, undefined];
  const [outcome, ...flat] = reply as string[];
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
  return [outcome, toRecord(fields)];
}

function toRecord(fields: Record<string, string>): VerificationRecord {
  const doc = JSON.parse(fields.doc ?? '{}') as RecordDoc;
  return {
    ...doc,
    status: fields.status as VerificationStatus,
    digest: fields.digest ?? '',
    expiresAt: Number(fields.exp),
    maxAttempts: Number(fields.max),
    attempts: Number(fields.att),
    sends: Number(fields.sends),
    lastSentAt: Number(fields.last),
    messageIds: JSON.parse(fields.msgs ?? '[]') as string[],
    updatedAt: Number(fields.upd),
  };
}
