/**
 * Messages on Redis. A message is a hash (`e` envelope JSON, `s` status, `ps` one letter per part state,
 * `p<seq>` part JSON) plus a timeline list. Insert (with its idempotency claim and its queue entry or schedule)
 * and every change are single Lua scripts, so they are atomic: an accepted message is never stored without its
 * queue entry, and two receipts for different parts of one message cannot lose a roll-up.
 */
import type { RedisClient } from './redis-connection.ts';
import { gatewayError } from '../../errors.ts';
import type { MessageChange, MessageEnvelope, MessageRecord, MessageSnapshot, PartState, TimelineEntry } from '../../messages/message-record.ts';
import { PART_STATUS_LETTER, type MessageStatus } from '../../messages/message-status.ts';
import type {
  AppliedChange,
  ClaimResult,
  Correlation,
  IdempotencyClaim,
  InsertResult,
  MessagePage,
  MessageQuery,
  MessageStore,
  Placement,
} from '../../ports/message-store.ts';
import { RecentMap } from '../../../common/index.ts';
import { decodeCursor, encodeCursor, matchesQuery } from '../shared/message-query.ts';
import type { RedisKeys } from './redis-keys.ts';
import { scheduleMember } from './redis-route-queue.ts';
import { RedisScript } from './redis-script.ts';

/**
 * An idempotency key's value is `<message id>\n<fingerprint>` (the id is empty for a batch claim); a value
 * without a newline (written before fingerprints were stored) is a bare id that never conflicts.
 */
const SPLIT_CLAIM = `
local function splitClaim(value)
  local nl = string.find(value, '\\n', 1, true)
  if nl then return string.sub(value, 1, nl - 1), string.sub(value, nl + 1) end
  return value, nil
end
`;

/**
 * KEYS: message, timeline, account index, idempotency key, stream or schedule.
 * ARGV: id, envelope, status, part letters, createdAt, placement kind, attempt, schedule score, schedule member,
 *       idempotency ttl (0 = none), part count n, fingerprint, n part JSONs, then timeline entries.
 * Returns {1, id} when written, else {0, first id, 1 when the key holds another fingerprint else 0}.
 */
const INSERT = new RedisScript(`${SPLIT_CLAIM}
local id = ARGV[1]
if ARGV[10] ~= '0' then
  local existing = redis.call('GET', KEYS[4])
  if existing then
    local first, fingerprint = splitClaim(existing)
    return {0, first, (fingerprint and fingerprint ~= ARGV[12]) and 1 or 0}
  end
  redis.call('SET', KEYS[4], id .. '\\n' .. ARGV[12], 'PX', ARGV[10])
end
local n = tonumber(ARGV[11])
local fields = {'e', ARGV[2], 's', ARGV[3], 'ps', ARGV[4]}
for i = 1, n do
  fields[#fields + 1] = 'p' .. i
  fields[#fields + 1] = ARGV[12 + i]
end
redis.call('HSET', KEYS[1], unpack(fields))
for i = 13 + n, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('ZADD', KEYS[3], ARGV[5], id)
if ARGV[6] == 'queue' then
  redis.call('XADD', KEYS[5], '*', 'm', id, 'a', ARGV[7])
else
  redis.call('ZADD', KEYS[5], ARGV[8], ARGV[9])
end
return {1, id}
`);

/**
 * KEYS: message, timeline, receipt watch, then c correlation keys. ARGV: at, explicit status or '', roll-up
 * '1'/'0', update count k, correlation count c, watch-until ms or '', message id, '1' when the caller wants the
 * envelope back else '0', k triples (seq, fields to merge as JSON, status letter or ''; a seq the message does not
 * have is ignored), c pairs (correlation value, ttl ms), then timeline entries. A final status ends the message's
 * receipt watch; otherwise watch-until (re)starts it. The roll-up mirrors rollUpParts(). Returns the status before
 * and after, the parts whose status moved (comma separated sequence numbers), and only when the message status
 * moved, the parts' JSON and the envelope ('' unless asked for): never the timeline, and the envelope (a message's
 * largest field, which never changes) only when the calling process does not hold it already.
 */
const APPLY = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local k = tonumber(ARGV[4])
local c = tonumber(ARGV[5])
local ps = redis.call('HGET', KEYS[1], 'ps')
local moved = {}
-- A receipt can land before the submit outcome that precedes it: a final part keeps its status.
local finalPart = { D = true, U = true, X = true, F = true, K = true, C = true }
local letterStatus = { D = 'delivered', U = 'undelivered', X = 'expired', F = 'failed', K = 'unknown', C = 'canceled' }
for i = 0, k - 1 do
  local seq = tonumber(ARGV[9 + 3 * i])
  local letter = ARGV[11 + 3 * i]
  -- Canceling stops parts not yet sent; a part already on its way keeps its status.
  if seq >= 1 and seq <= #ps and not (letter == 'C' and ps:sub(seq, seq) ~= 'P') then
    local part = cjson.decode(redis.call('HGET', KEYS[1], 'p' .. seq))
    local current = ps:sub(seq, seq)
    local keep = finalPart[current] and letter ~= '' and not finalPart[letter]
    -- Entering submitted or delivered drops an earlier attempt's error and raw values.
    if not keep and current ~= letter and (letter == 'S' or letter == 'D') then
      part['error'] = nil
      part['raw'] = nil
    end
    for field, value in pairs(cjson.decode(ARGV[10 + 3 * i])) do part[field] = value end
    if keep then
      part['status'] = letterStatus[current]
      letter = ''
    end
    redis.call('HSET', KEYS[1], 'p' .. seq, cjson.encode(part))
    if letter ~= '' and current ~= letter then
      moved[#moved + 1] = seq
      ps = ps:sub(1, seq - 1) .. letter .. ps:sub(seq + 1)
    end
  end
end
if k > 0 then redis.call('HSET', KEYS[1], 'ps', ps) end
for j = 0, c - 1 do redis.call('SET', KEYS[4 + j], ARGV[9 + 3 * k + 2 * j], 'PX', ARGV[10 + 3 * k + 2 * j]) end
for i = 9 + 3 * k + 2 * c, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
local status = redis.call('HGET', KEYS[1], 's')
local previous = status
local final = { delivered = true, undelivered = true, expired = true, failed = true, unknown = true, rejected = true, canceled = true }
if not final[status] then
  local nextStatus = ARGV[2]
  local derived = false
  if nextStatus == '' and ARGV[3] == '1' then
    derived = true
    if ps:find('F', 1, true) then nextStatus = 'failed'
    elseif ps:find('U', 1, true) then nextStatus = 'undelivered'
    elseif ps:find('X', 1, true) then nextStatus = 'expired'
    elseif #ps > 0 and not ps:find('[^D]') then nextStatus = 'delivered'
    elseif ps:find('K', 1, true) and not ps:find('[^DK]') then nextStatus = 'unknown'
    elseif #ps > 0 and not ps:find('P', 1, true) then nextStatus = 'submitted'
    end
  end
  if nextStatus ~= '' and nextStatus ~= status then
    redis.call('HSET', KEYS[1], 's', nextStatus)
    if derived then
      redis.call('RPUSH', KEYS[2], '{"at":' .. ARGV[1] .. ',"event":"' .. nextStatus .. '"}')
    end
  end
end
local current = redis.call('HGET', KEYS[1], 's')
if final[current] then
  if not final[previous] then redis.call('ZREM', KEYS[3], ARGV[7]) end
elseif ARGV[6] ~= '' then
  redis.call('ZADD', KEYS[3], 'GT', ARGV[6], ARGV[7])
end
local movedText = table.concat(moved, ',')
if current == previous then return {previous, current, movedText} end
local fields = {}
for i = 1, #ps do fields[i] = 'p' .. i end
local parts = {}
if #fields > 0 then parts = redis.call('HMGET', KEYS[1], unpack(fields)) end
local envelope = ''
if ARGV[8] == '1' then envelope = redis.call('HGET', KEYS[1], 'e') end
return {previous, current, movedText, parts, envelope}
`);

/** KEYS: idempotency key. ARGV: fingerprint, ttl ms. Returns {1 claimed / 0 held, 1 held with another fingerprint}. */
const CLAIM = new RedisScript(`${SPLIT_CLAIM}
local existing = redis.call('GET', KEYS[1])
if existing then
  local _, fingerprint = splitClaim(existing)
  return {0, (fingerprint and fingerprint ~= ARGV[1]) and 1 or 0}
end
redis.call('SET', KEYS[1], '\\n' .. ARGV[1], 'PX', ARGV[2])
return {1, 0}
`);

/** KEYS: receipt watch. ARGV: now, limit, lease end. Pushes each due message's wait to the lease end. */
const CLAIM_WATCHES = new RedisScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], id) end
return due
`);

/** Envelopes this process wrote or read lately (default bound): a status change then needs no envelope from Redis. */
export const ENVELOPE_CACHE_SIZE = 10_000;

export class RedisMessageStore implements MessageStore {
  /** A message's envelope never changes once stored, so a copy held here is always current. */
  private readonly envelopes: RecentMap<string, MessageEnvelope>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    envelopeCacheSize = ENVELOPE_CACHE_SIZE,
  ) {
    this.envelopes = new RecentMap(envelopeCacheSize);
  }

  async insert(record: MessageRecord, placement: Placement, idempotency?: IdempotencyClaim): Promise<InsertResult> {
    const envelope = record.envelope;
    const stream = this.keys.routeStream(placement.connectorId, placement.lane);
    const keys = [
      this.keys.message(envelope.id),
      this.keys.timeline(envelope.id),
      this.keys.accountIndex(envelope.accountId),
      idempotency === undefined ? this.keys.idempotency(envelope.accountId, '') : this.keys.idempotency(idempotency.accountId, idempotency.key),
      placement.kind === 'queue' ? stream : this.keys.schedule,
    ];
    const item = { messageId: envelope.id, attempt: placement.attempt };
    const args: (string | number)[] = [
      envelope.id,
      JSON.stringify(envelope),
      record.status,
      record.parts.map((part) => PART_STATUS_LETTER[part.status]).join(''),
      envelope.createdAt,
      placement.kind,
      placement.attempt,
      placement.kind === 'schedule' ? placement.at : 0,
      placement.kind === 'schedule' ? scheduleMember(stream, item) : '',
      idempotency === undefined ? 0 : Math.max(1, Math.round(idempotency.ttlMs)),
      record.parts.length,
      idempotency?.fingerprint ?? '',
      ...record.parts.map((part) => JSON.stringify(part)),
      ...record.timeline.map((entry) => JSON.stringify(entry)),
    ];
    const [inserted, id, conflict] = (await INSERT.run(this.redis, keys, args)) as [number, string, number?];
    if (inserted !== 1) return { inserted: false, id, conflict: conflict === 1 };
    this.envelopes.set(id, envelope);
    return { inserted: true, id };
  }

  async claimIdempotency(claim: IdempotencyClaim): Promise<ClaimResult> {
    const key = this.keys.idempotency(claim.accountId, claim.key);
    const [claimed, conflict] = (await CLAIM.run(this.redis, [key], [claim.fingerprint, Math.max(1, Math.round(claim.ttlMs))])) as [number, number];
    return { claimed: claimed === 1, conflict: conflict === 1 };
  }

  async get(id: string): Promise<MessageRecord | undefined> {
    // Two plain commands, not a pipeline of their own: the client's auto-pipelining sends them in the same
    // write as every other command of this turn, where an explicit pipeline costs a socket write per read.
    const [hash, timeline] = await Promise.all([this.redis.hgetall(this.keys.message(id)), this.redis.lrange(this.keys.timeline(id), 0, -1)]);
    if (hash.e === undefined) return undefined;
    return this.parse(id, hash, timeline);
  }

  async snapshot(id: string): Promise<MessageSnapshot | undefined> {
    const held = this.envelopes.get(id);
    if (held !== undefined) return this.snapshotHeld(id, held);
    const hash = await this.redis.hgetall(this.keys.message(id));
    if (hash.e === undefined) return undefined;
    const { timeline: _timeline, ...snapshot } = this.parse(id, hash, []);
    return snapshot;
  }

  /**
   * A dispatch reads every message it sends: when this process holds the envelope (it accepted the message, or read
   * it lately) only the status and the parts come from Redis, not the envelope's JSON (its parts' text and octets).
   */
  private async snapshotHeld(id: string, envelope: MessageEnvelope): Promise<MessageSnapshot | undefined> {
    const fields = ['s', 'ps'];
    for (let seq = 1; seq <= envelope.encoded.parts.length; seq += 1) fields.push(`p${seq}`);
    const values = await this.redis.hmget(this.keys.message(id), ...fields);
    if (values[0] === null) return undefined;
    const hash: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 1) {
      const value = values[i];
      if (value !== null && value !== undefined) hash[fields[i] as string] = value;
    }
    const { timeline: _timeline, ...snapshot } = parseRecord(id, hash, [], envelope);
    return snapshot;
  }

  async apply(id: string, change: MessageChange): Promise<AppliedChange | undefined> {
    const parts = change.parts ?? [];
    const correlations = change.correlations ?? [];
    const held = this.envelopes.get(id);
    const args: (string | number)[] = [
      change.at, change.status ?? '', change.rollUp === true ? '1' : '0', parts.length, correlations.length, change.watchUntil ?? '', id,
      held === undefined ? '1' : '0',
    ];
    for (const part of parts) args.push(part.seq, JSON.stringify(part), part.status === undefined ? '' : PART_STATUS_LETTER[part.status]);
    const keys = [this.keys.message(id), this.keys.timeline(id), this.keys.receiptWatch];
    for (const c of correlations) {
      keys.push(this.keys.correlation(c.connectorId, c.carrierMessageId));
      args.push(correlationValue({ messageId: id, seq: c.seq, submittedAt: c.submittedAt }), Math.max(1, Math.round(c.ttlMs)));
    }
    for (const entry of change.timeline) args.push(JSON.stringify(entry));
    const reply = (await APPLY.run(this.redis, keys, args)) as
      | [string, string, string]
      | [string, string, string, (string | null)[], string]
      | null;
    if (reply === null) return undefined;
    const [previous, current, moved, partJson, envelopeJson] = reply;
    const statuses = {
      id,
      previousStatus: previous as MessageStatus,
      status: current as MessageStatus,
      movedParts: moved === '' ? [] : moved.split(',').map(Number),
    };
    if (partJson === undefined) return statuses;
    // Evicted here while the script ran: read it after all (rare, and only when this process is very busy).
    const envelope = held ?? (envelopeJson !== undefined && envelopeJson !== '' ? parseEnvelope(id, envelopeJson) : (await this.get(id))?.envelope);
    if (envelope === undefined) return statuses;
    if (held === undefined) this.envelopes.set(id, envelope);
    return { ...statuses, record: { envelope, status: current as MessageStatus, parts: parseParts(id, partJson) } };
  }

  async claimDueWatches(now: number, limit: number, leaseMs: number): Promise<readonly string[]> {
    return (await CLAIM_WATCHES.run(this.redis, [this.keys.receiptWatch], [now, limit, now + leaseMs])) as string[];
  }

  async correlate(connectorId: string, carrierMessageId: string, correlation: Correlation, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.correlation(connectorId, carrierMessageId), correlationValue(correlation), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async findCorrelation(connectorId: string, carrierMessageId: string): Promise<Correlation | undefined> {
    const value = await this.redis.get(this.keys.correlation(connectorId, carrierMessageId));
    if (value === null) return undefined;
    const first = value.indexOf(':');
    const second = value.indexOf(':', first + 1);
    const submittedAt = value.slice(first + 1, second);
    return {
      seq: Number(value.slice(0, first)),
      messageId: value.slice(second + 1),
      ...(submittedAt === '' ? {} : { submittedAt: Number(submittedAt) }),
    };
  }

  async list(query: MessageQuery): Promise<MessagePage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) throw gatewayError('GW_INVALID_CURSOR', query.cursor);
    const index = this.keys.accountIndex(query.accountId);
    const max = after !== undefined ? String(after.createdAt) : query.until !== undefined ? `(${query.until}` : '+inf';
    const min = query.since !== undefined ? String(query.since) : '-inf';
    const items: MessageRecord[] = [];
    const batch = Math.max(query.limit * 2, 50);
    let offset = 0;
    for (;;) {
      const flat = await this.redis.zrevrangebyscore(index, max, min, 'WITHSCORES', 'LIMIT', offset, batch);
      if (flat.length === 0) return { items };
      offset += flat.length / 2;
      const ids: string[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const id = flat[i] as string;
        const score = Number(flat[i + 1]);
        // Same-millisecond neighbours of the cursor come in descending id order, like the listing itself.
        if (after !== undefined && score === after.createdAt && id >= after.id) continue;
        if (query.until !== undefined && score >= query.until) continue;
        ids.push(id);
      }
      for (const record of await this.getMany(ids)) {
        if (!matchesQuery(record, query)) continue;
        if (items.length === query.limit) {
          const last = items[items.length - 1] as MessageRecord;
          return { items, nextCursor: encodeCursor(last) };
        }
        items.push(record);
      }
      if (flat.length / 2 < batch) return { items };
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** A stored record, its envelope parsed only when this process does not hold it already. */
  private parse(id: string, hash: Readonly<Record<string, string>>, timeline: readonly string[]): MessageRecord {
    const record = parseRecord(id, hash, timeline, this.envelopes.get(id));
    this.envelopes.set(id, record.envelope);
    return record;
  }

  private async getMany(ids: readonly string[]): Promise<MessageRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.message(id)).lrange(this.keys.timeline(id), 0, -1);
    const results = (await pipeline.exec()) ?? [];
    const records: MessageRecord[] = [];
    ids.forEach((id, index) => {
      const hash = results[index * 2]?.[1] as Record<string, string> | undefined;
      const timeline = results[index * 2 + 1]?.[1] as string[] | undefined;
      // A message whose hash has expired or was removed stays out of listings.
      if (hash?.e !== undefined) records.push(this.parse(id, hash, timeline ?? []));
    });
    return records;
  }
}

function correlationValue(correlation: Correlation): string {
  return `${correlation.seq}:${correlation.submittedAt ?? ''}:${correlation.messageId}`;
}

function parseEnvelope(id: string, json: string): MessageEnvelope {
  try {
    return JSON.parse(json) as MessageEnvelope;
  } catch (error: unknown) {
    throw gatewayError('GW_CORRUPT_RECORD', id, { id, cause: error instanceof Error ? error.message : String(error) });
  }
}

function parseParts(id: string, json: readonly (string | null)[]): PartState[] {
  try {
    return json.map((part) => JSON.parse(part ?? 'null') as PartState);
  } catch (error: unknown) {
    throw gatewayError('GW_CORRUPT_RECORD', id, { id, cause: error instanceof Error ? error.message : String(error) });
  }
}

function parseRecord(id: string, hash: Readonly<Record<string, string>>, timeline: readonly string[], known?: MessageEnvelope): MessageRecord {
  try {
    const envelope = known ?? (JSON.parse(hash.e as string) as MessageEnvelope);
    const count = (hash.ps ?? '').length;
    const parts: PartState[] = [];
    for (let seq = 1; seq <= count; seq += 1) parts.push(JSON.parse(hash[`p${seq}`] as string) as PartState);
    return {
      envelope,
      status: hash.s as MessageStatus,
      parts,
      timeline: timeline.map((entry) => JSON.parse(entry) as TimelineEntry),
    };
  } catch (error: unknown) {
    throw gatewayError('GW_CORRUPT_RECORD', id, { id, cause: error instanceof Error ? error.message : String(error) });
  }
}
