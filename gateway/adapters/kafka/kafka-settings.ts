/** Where the gateway's Kafka records go: the `kafka` section of the configuration, with defaults filled in. */
import { DEFAULT_SPILL_AFTER_MS } from '../../events/durable-publisher.ts';
import type { EventGroupsMode } from './event-groups.ts';

export interface KafkaTopics {
  /** Raw receipts as the drivers received them (key: connector + SMSC message id). */
  readonly receipts: string;
  /** Every state change of a message and its parts (key: message id). */
  readonly events: string;
  /** Inbound messages after reassembly (key: destination number). */
  readonly inbound: string;
  /** Receipts no part claimed within the hold time. */
  readonly unmatched: string;
  /** Suppression list changes: opt-outs, opt-ins, operators' and imports' entries (key: account + number). */
  readonly suppressions: string;
  /** Verification steps (key: account + number). */
  readonly verifications: string;
  /** Campaign state changes with their recipients' counts (key: campaign id). */
  readonly campaigns: string;
}

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Create missing topics at start. */
  readonly createTopics: boolean;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly compression: 'none' | 'gzip';
  readonly topics: KafkaTopics;
  /** Consumer group names start `<groupPrefix>.`: `<groupPrefix>.status` reads receipts, event groups are named after their roles. */
  readonly groupPrefix: string;
  /**
   * `shared` (default): one group reads the event topics for all the event roles a process runs, each record fetched
   * and parsed once; `separate`: a group per role, each reading every record, so a role that keeps failing holds
   * up only itself. A new group starts where its roles' earlier groups stood (event-groups.ts).
   */
  readonly eventGroups: EventGroupsMode;
  /** Outbox size at which new messages are refused while Kafka is away. */
  readonly outboxLimit: number;
  /** How long the status updater retries a receipt that matches no part before parking it. */
  readonly receiptHoldMs: number;
  /**
   * A consumer's fetch is answered once this many bytes wait (or `fetchMaxWaitMs` passed): under load each fetch,
   * and so each handler's batch and its store calls, then carries many records rather than a few.
   */
  readonly fetchMinBytes: number;
  /** The longest a fetch waits for `fetchMinBytes`: the most a quiet gateway's events wait for their consumers. */
  readonly fetchMaxWaitMs: number;
  /**
   * `multipart` (default): a one-part message's part transition that moves the message status too is carried by
   * that message.status record alone; `all`: a message.part record for every part transition.
   */
  readonly partEvents: 'all' | 'multipart';
  /** How long a consumer group waits for a silent member (a killed process) before handing its partitions on. */
  readonly sessionTimeoutMs: number;
  /**
   * Consumer groups commit their stored progress at most this often, all partitions in one request (0: after
   * every batch). Longer means fewer broker writes; a killed process's successor replays at most this much.
   */
  readonly commitIntervalMs: number;
  /**
   * A send Kafka has not answered within this long is given up on: its records, and the ones after them, go to
   * the outbox (a late answer makes duplicates, which consumers drop by event id, never a loss).
   */
  readonly spillAfterMs: number;
}

export const DEFAULT_KAFKA_TOPICS: KafkaTopics = {
  receipts: 'sms.receipts',
  events: 'sms.events',
  inbound: 'sms.inbound',
  unmatched: 'sms.receipts.unmatched',
  suppressions: 'sms.suppressions',
  verifications: 'sms.verifications',
  campaigns: 'sms.campaigns',
};

export const DEFAULT_FETCH_MIN_BYTES = 65_536;
export const DEFAULT_FETCH_MAX_WAIT_MS = 20;
export const DEFAULT_COMMIT_INTERVAL_MS = 1_000;

export function kafkaSettings(partial: Partial<KafkaSettings> & { readonly brokers: readonly string[] }): KafkaSettings {
  return {
    clientId: 'smsgw',
    createTopics: true,
    partitions: 6,
    replicationFactor: 1,
    compression: 'none',
    groupPrefix: 'smsgw',
    eventGroups: 'shared',
    outboxLimit: 100_000,
    receiptHoldMs: 30_000,
    fetchMinBytes: DEFAULT_FETCH_MIN_BYTES,
    fetchMaxWaitMs: DEFAULT_FETCH_MAX_WAIT_MS,
    partEvents: 'multipart',
    sessionTimeoutMs: 30_000,
    commitIntervalMs: DEFAULT_COMMIT_INTERVAL_MS,
    spillAfterMs: DEFAULT_SPILL_AFTER_MS,
    ...partial,
    topics: { ...DEFAULT_KAFKA_TOPICS, ...partial.topics },
  };
}
