/**
 * `smsgw events tail`: a throwaway consumer group reads one topic and prints each record as a JSON line. The
 * group commits nothing and is deleted at exit, so tailing never moves the gateway's own consumers and leaves
 * no groups behind.
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { isCodedError } from '../../common/index.ts';
import { createKafka, DEFAULT_KAFKA_TOPICS, kafkaSettings, parseGatewayConfig, type GatewayConfig, type KafkaSettings } from '../../gateway/index.ts';
import { cliError } from '../cli-errors.ts';
import { untilStopSignal } from '../until-stop-signal.ts';

const BROKER = /^[^\s:,]+:[0-9]{1,5}$/;

/** The options of `smsgw events tail`, as commander parses them. */
export interface TailOptions {
  readonly topic?: string;
  readonly fromBeginning?: boolean;
  readonly brokers?: string;
  readonly config?: string;
  readonly max?: string;
}

export interface TailLine {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  /** The record's Kafka timestamp, ISO 8601. */
  readonly timestamp: string;
  /** Parsed when the value is JSON, else the text as it is; null for a tombstone. */
  readonly value: unknown;
}

export async function tailRecords(options: TailOptions): Promise<void> {
  const max = parseMax(options.max);
  const settings = resolveSettings(options);
  const topic = options.topic ?? settings.topics.events;
  const kafka = createKafka(settings);
  const admin = kafka.admin();
  const groupId = `smsgw-tail-${randomBytes(6).toString('hex')}`;
  // Short fetch waits: a stop waits for the fetch in flight, and Ctrl-C should feel immediate.
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  const brokers = settings.brokers.join(',');

  try {
    await admin.connect();
    if (!(await admin.listTopics()).includes(topic)) {
      throw cliError('CLI_KAFKA_TOPIC_NOT_FOUND', `${topic} on ${brokers}`, { topic, brokers: settings.brokers });
    }
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: options.fromBeginning === true });
  } catch (error: unknown) {
    await Promise.allSettled([consumer.disconnect(), admin.disconnect()]);
    if (isCodedError(error)) throw error;
    throw cliError('CLI_KAFKA_UNREACHABLE', `${brokers} (${firstLine(error)})`, { brokers: settings.brokers }, { cause: error });
  }

  try {
    await readUntilDone(consumer, max);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/** Prints records until a stop signal, `max` records, a closed stdout, or a consumer crash it cannot recover from. */
async function readUntilDone(consumer: Consumer, max: number | undefined): Promise<void> {
  let printed = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let fail: (error: unknown) => void = () => undefined;
  const crashed = new Promise<never>((_resolve, reject) => (fail = reject));
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) fail(event.payload.error);
  });
  // A reader that went away (`| head`) ends the tail like Ctrl-C does.
  const closed = (): void => finish();
  process.stdout.once('error', closed);

  try {
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        if (max !== undefined && printed >= max) return;
        printed += 1;
        if (!process.stdout.write(`${JSON.stringify(tailLine(topic, partition, message))}\n`)) await once(process.stdout, 'drain');
        if (max !== undefined && printed >= max) finish();
      },
    });
    await Promise.race([finished, untilStopSignal(), crashed]);
  } finally {
    process.stdout.off('error', closed);
  }
}

export function tailLine(topic: string, partition: number, message: KafkaMessage): TailLine {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key === null ? null : message.key.toString('utf8'),
    timestamp: new Date(Number(message.timestamp)).toISOString(),
    value: message.value === null ? null : jsonOrText(message.value.toString('utf8')),
  };
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Brokers from --brokers, else KAFKA_BROKERS, else the configuration file; topics from the file or the defaults. */
function resolveSettings(options: TailOptions): KafkaSettings {
  let config: GatewayConfig | undefined;
  if (options.config !== undefined) config = parseGatewayConfig(parse(readFileSync(options.config, 'utf8')) as unknown, options.config);
  const { topics, ...rest } = config?.kafka ?? {};
  const listed = options.brokers ?? (process.env.KAFKA_BROKERS?.trim() === '' ? undefined : process.env.KAFKA_BROKERS);
  const brokers = listed === undefined ? (rest.brokers ?? []) : listed.split(',').map((broker) => broker.trim()).filter(Boolean);
  if (brokers.length === 0) throw cliError('CLI_INVALID_OPTION', 'no Kafka brokers: give --brokers host:port, set KAFKA_BROKERS, or a --config with kafka.brokers', { field: 'brokers' });
  const bad = brokers.find((broker) => !BROKER.test(broker));
  if (bad !== undefined) throw cliError('CLI_INVALID_OPTION', `broker "${bad}" is not host:port`, { field: 'brokers', value: bad });
  return kafkaSettings({ ...rest, brokers, clientId: 'smsgw-tail', ...(topics === undefined ? {} : { topics: { ...DEFAULT_KAFKA_TOPICS, ...topics } }) });
}

function parseMax(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const max = Number(text);
  if (!Number.isSafeInteger(max) || max < 1) throw cliError('CLI_INVALID_OPTION', `--max "${text}" must be a positive integer`, { field: 'max', value: text });
  return max;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? 'unknown error';
}
