/**
 * The one module that names Redis keys. Every key starts with the deployment's prefix (default `smsgw:`), so
 * several gateways, or test runs, share one Redis without meeting.
 *
 * Redis Cluster: a Lua script, a MULTI and a multi-key command may only touch keys of one hash slot, and a key's
 * slot comes from its hash tag (the text between the first `{` and the next `}`) when it has one. So every key
 * that such a call touches together carries the same tag, and the tag is as narrow as the calls allow, so that
 * the load spreads over the masters:
 * - `{m}`, the message path: a message's hash and timeline, the account's listing index, idempotency keys,
 *   receipt correlations, the route streams, the schedule, the receipt watch and the dispatch consumers' leases.
 *   The accept write is one script (message, idempotency claim, listing index and queue entry: nothing is
 *   acknowledged without its queue entry), a status change is one script (message, timeline, correlations,
 *   receipt watch), the schedule's move into the streams is one script, and a dispatch read blocks on every lane
 *   of a connector at once. Those calls link every key of the path, so the path has one slot (one master); a
 *   narrower tag would give up the atomic accept.
 * - `{wh}`, the webhook queue: jobs, due times and done markers are changed together by one script.
 * - `{<account id>}`: an account's suppressions and consent histories, auto-acknowledgement marks, usage days
 *   with their counted-once markers, and quota periods (a take checks every period of an account in one script).
 * - `{<campaign id>}`: a campaign's record, recipients, numbers and lease.
 * - `{<verification tag>}` (see ports/verification-store.ts): a verification and its (account, number) index.
 * - No tag on keys that are only ever touched alone: short links, rate windows, inbound lists, the event outbox
 *   and its lead, bind leases and the bind members, campaign listings, the verification sweep list, portability buckets. They spread by key.
 * The prefix may not contain braces: a tag in it would put every key in one slot, half of one would split them.
 *
 * Number portability: one hash per bucket of 100 numbers, `<prefix>mnp:<E.164 digits but the last two>`, with
 * the last two digits as the field. Small hashes stay in Redis's compact listpack encoding: far less memory than
 * a key per number.
 */
import { gatewayError } from '../../errors.ts';

export const DEFAULT_KEY_PREFIX = 'smsgw:';

export interface RedisKeys {
  readonly prefix: string;
  /** Hash key and field of a number (E.164 with `+`). */
  mnpSlot(e164: string): { readonly key: string; readonly field: string };
  /** SCAN pattern of every portability key. */
  readonly mnpPattern: string;
  /** SCAN pattern of every key under the prefix (cleanup in tests and tools). */
  readonly allPattern: string;
  /** Hash of one message: envelope, status, part states. */
  message(id: string): string;
  /** List of one message's timeline entries. */
  timeline(id: string): string;
  /** Sorted set of an account's message ids by creation time (listings). */
  accountIndex(accountId: string): string;
  /** A claimed idempotency key of an account. */
  idempotency(accountId: string, key: string): string;
  /** Which message part a carrier's message id stands for (expires). */
  correlation(connectorId: string, carrierMessageId: string): string;
  /** The stream of one connector's lane. */
  routeStream(connectorId: string, lane: string): string;
  /** Sorted set of scheduled and delayed queue entries. */
  readonly schedule: string;
  /** A dispatch consumer's lease (expires unless renewed): reclaim leaves a live consumer's entries alone. */
  consumerLease(consumer: string): string;
  /** Sorted set of messages waiting for their parts' final receipts, by the time the wait ends. */
  readonly receiptWatch: string;
  /** Stream of records waiting for Kafka while it is unreachable, oldest first. */
  readonly outbox: string;
  /** Which process currently flushes the outbox (expires). */
  readonly outboxLead: string;
  /** Which process holds bind slot `slot` of a connector (expires unless renewed; see ports/bind-lease-store.ts). */
  bindLease(connectorId: string, slot: number): string;
  /** Sorted set of the gateway processes alive, by the time their presence ends (bind ownership's fair share). */
  readonly bindMembers: string;
  /** Hash of waiting webhook deliveries by job id. */
  readonly webhookJobs: string;
  /** Sorted set of webhook job ids by the time their next attempt is due. */
  readonly webhookDue: string;
  /** Marks a webhook job as done (expires), so a replayed event does not send it again. */
  webhookDone(jobId: string): string;
  /** Hash of one account's usage counters on one day (in the usage time zone). */
  usage(accountId: string, day: string): string;
  /** List of an account's inbound messages, newest first (capped). */
  inbound(accountId: string): string;
  /** Marks a message as counted in an account's usage (expires), so a replayed event is not counted twice. */
  usageCounted(accountId: string, once: string): string;
  /** Hash of one account's quota counters (messages, segments) in one period (`d:<day>`, `m:<month>`). */
  quota(accountId: string, periodKey: string): string;
  /**
   * An account's suppressions: the entries hash, their listing index, and one number's consent history; all under
   * the account's hash tag, so the scripts that touch them work on a Redis Cluster.
   */
  suppressions(accountId: string, number: string): { readonly entries: string; readonly index: string; readonly history: string };
  /** Marks a number as auto-acknowledged by an account (expires with the account's window). */
  autoAck(accountId: string, number: string): string;
  /** Hash of one verification (its id's hash tag keeps it on its index's slot). */
  verification(id: string, tag: string): string;
  /** The id of an account's latest verification for a number (expires with its code). */
  verificationIndex(tag: string, accountId: string, to: string): string;
  /** Sorted set of pending verification ids by the expiry of their code (the expiry sweep's work list). */
  readonly verificationDue: string;
  /**
   * An account's verification statistics: the hash of one day's counts, and the marker of a tally counted once;
   * both under the account's hash tag, so the tally script works on a Redis Cluster.
   */
  verificationStats(accountId: string): { day(day: string): string; once(key: string): string };
  /** Hash of one short link: its fields and click counts (expires after the link's 410 grace period). */
  link(code: string): string;
  /** The hit times of one sliding-window counter (expires with its window). */
  rate(key: string, windowMs: number): string;
  /** One campaign under its id's hash tag: its hash, recipients (index -> JSON), numbers (E.164 -> index), lease. */
  campaign(id: string): { readonly record: string; readonly recipients: string; readonly numbers: string; readonly lease: string };
  /** Sorted set of an account's campaign ids by creation time. */
  campaignIndex(accountId: string): string;
  /** Set of the ids of campaigns that may be scheduled or running (a superset; the state decides). */
  readonly campaignsActive: string;
}

const BUCKET_DIGITS = 2;

export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  if (/[*?[\]{}\s]/.test(prefix)) {
    throw gatewayError('GW_INVALID_CONFIG', `the Redis key prefix "${prefix}" has glob, brace or space characters`, { field: 'REDIS_PREFIX' });
  }
  const m = `${prefix}{m}:`;
  const wh = `${prefix}{wh}:`;
  const mnp = `${prefix}mnp:`;
  return {
    prefix,
    mnpSlot(e164) {
      const digits = e164.charCodeAt(0) === 43 ? e164.slice(1) : e164;
      return { key: mnp + digits.slice(0, -BUCKET_DIGITS), field: digits.slice(-BUCKET_DIGITS) };
    },
    mnpPattern: `${mnp}*`,
    allPattern: `${prefix}*`,
    message: (id) => `${m}msg:${id}`,
    timeline: (id) => `${m}msg:${id}:t`,
    accountIndex: (accountId) => `${m}acct:${accountId}:msgs`,
    idempotency: (accountId, key) => `${m}idem:${accountId}:${key}`,
    correlation: (connectorId, carrierMessageId) => `${m}corr:${connectorId}:${carrierMessageId}`,
    routeStream: (connectorId, lane) => `${m}q:${connectorId}:${lane}`,
    schedule: `${m}sched`,
    consumerLease: (consumer) => `${m}lease:${consumer}`,
    receiptWatch: `${m}watch`,
    outbox: `${prefix}outbox`,
    outboxLead: `${prefix}outbox:lead`,
    bindLease: (connectorId, slot) => `${prefix}bind:${connectorId}:${slot}`,
    bindMembers: `${prefix}bind:members`,
    webhookJobs: `${wh}jobs`,
    webhookDue: `${wh}due`,
    webhookDone: (jobId) => `${wh}done:${jobId}`,
    inbound: (accountId) => `${prefix}inbound:${accountId}`,
    usage: (accountId, day) => `${prefix}usage:{${accountId}}:${day}`,
    usageCounted: (accountId, once) => `${prefix}usage:{${accountId}}:m:${once}`,
    quota: (accountId, periodKey) => `${prefix}quota:{${accountId}}:${periodKey}`,
    verification: (id, tag) => `${prefix}v:{${tag}}:${id}`,
    verificationIndex: (tag, accountId, to) => `${prefix}v:{${tag}}:i:${accountId}:${to}`,
    verificationDue: `${prefix}v:due`,
    verificationStats: (accountId) => ({
      day: (day) => `${prefix}vs:{${accountId}}:d:${day}`,
      once: (key) => `${prefix}vs:{${accountId}}:o:${key}`,
    }),
    link: (code) => `${prefix}link:${code}`,
    rate: (key, windowMs) => `${prefix}rate:${key}:${windowMs}`,
    campaign: (id) => ({
      record: `${prefix}camp:{${id}}`,
      recipients: `${prefix}camp:{${id}}:r`,
      numbers: `${prefix}camp:{${id}}:n`,
      lease: `${prefix}camp:{${id}}:l`,
    }),
    campaignIndex: (accountId) => `${prefix}camps:${accountId}`,
    campaignsActive: `${prefix}camps:active`,
    suppressions: (accountId, number) => ({
      entries: `${prefix}sup:{${accountId}}:e`,
      index: `${prefix}sup:{${accountId}}:i`,
      history: `${prefix}sup:{${accountId}}:h:${number}`,
    }),
    autoAck: (accountId, number) => `${prefix}ack:{${accountId}}:${number}`,
  };
}
