/**
 * `smsgw events tail` as an operator runs it, against the shared real broker: JSON lines with parsed values,
 * --max, Ctrl-C, no consumer group left behind, and a quick clear failure when the brokers are unreachable.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { parse, stringify } from 'yaml';

const BIN = fileURLToPath(new URL('../../bin/smsgw.js', import.meta.url));
const DEPLOY_CONFIG = fileURLToPath(new URL('../../deploy/gateway.yaml', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs the CLI; `onStdout` may act on the running process (send it a signal). */
function smsgw(args: readonly string[], options: { env?: NodeJS.ProcessEnv; onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, KAFKA_BROKERS: '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(stdout, (signal) => child.kill(signal));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const lines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function tailGroups(admin: Admin): Promise<string[]> {
  const { groups } = await admin.listGroups();
  return groups.map((group) => group.groupId).filter((id) => id.startsWith('smsgw-tail-'));
}

describe('smsgw events tail', () => {
  const brokers = inject('kafkaBrokers');
  const kafka = new Kafka({ clientId: 'events-tail-test', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const topic = `smsgw-tail-test-${randomBytes(4).toString('hex')}`;
  const event = { type: 'message.status', version: 1, id: 'm-1:delivered', messageId: 'm-1', status: 'delivered' };

  beforeAll(async () => {
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'm-1', value: JSON.stringify(event), timestamp: String(Date.parse('2025-11-21T04:00:00.000Z')) },
        { key: null, value: 'not json' },
        { key: 'm-2', value: null },
        { key: 'm-3', value: '{"fourth":true}' },
      ],
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  test('prints the first records of a topic as JSON lines and exits after --max', async () => {
    const run = await smsgw(['events', 'tail', '--topic', topic, '--from-beginning', '--max', '3', '--brokers', brokers.join(',')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = lines(run.stdout);
    expect(printed).toHaveLength(3);
    expect(printed[0]).toEqual({ topic, partition: 0, offset: 0, key: 'm-1', timestamp: '2025-11-21T04:00:00.000Z', value: event });
    expect(printed.slice(1).map(({ offset, key, value }) => ({ offset, key, value }))).toEqual([
      { offset: 1, key: null, value: 'not json' },
      { offset: 2, key: 'm-2', value: null },
    ]);
    for (const line of printed) expect(Object.keys(line)).toEqual(['topic', 'partition', 'offset', 'key', 'timestamp', 'value']);
    // The run's throwaway consumer group is gone.
    expect(await tailGroups(admin)).toEqual([]);
  });

  test('takes the brokers from KAFKA_BROKERS and stops cleanly on SIGINT', async () => {
    const run = await smsgw(['events', 'tail', '--topic', topic, '--from-beginning'], {
      env: { KAFKA_BROKERS: brokers.join(',') },
      onStdout: (text, kill) => {
        if (text.split('\n').length > 4) kill('SIGINT');
      },
    });
    expect(run.stderr).toBe('');
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
    expect(lines(run.stdout).map((line) => line.offset)).toEqual([0, 1, 2, 3]);
    expect(await tailGroups(admin)).toEqual([]);
  });

  test('without --brokers and --topic, takes both from the configuration file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsgw-tail-'));
    const file = join(dir, 'gateway.yaml');
    try {
      const document = parse(readFileSync(DEPLOY_CONFIG, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, stringify({ ...document, kafka: { brokers, topics: { events: topic } } }));
      const run = await smsgw(['events', 'tail', '--config', file, '--from-beginning', '--max', '1']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(lines(run.stdout)).toMatchObject([{ topic, offset: 0, key: 'm-1', value: event }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a topic that does not exist is an error, and is not created', async () => {
    const missing = `${topic}-missing`;
    const run = await smsgw(['events', 'tail', '--topic', missing, '--max', '1', '--brokers', brokers.join(',')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('CLI_KAFKA_TOPIC_NOT_FOUND');
    expect(run.stderr).toContain(missing);
    expect(await admin.listTopics()).not.toContain(missing);
  });

  test('unreachable brokers fail quickly with an error naming them', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    await new Promise((resolve) => server.close(resolve));
    const closed = `127.0.0.1:${address.port}`;

    const run = await smsgw(['events', 'tail', '--max', '1', '--brokers', closed]);
    expect(run.code).not.toBe(0);
    expect(run.signal).toBeNull();
    expect(run.stderr).toContain('CLI_KAFKA_UNREACHABLE');
    expect(run.stderr).toContain(closed);
    expect(run.ms).toBeLessThan(20_000);
    expect(run.stdout).toBe('');
  });

  test('no brokers anywhere is a usage error', async () => {
    const run = await smsgw(['events', 'tail', '--max', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('CLI_INVALID_OPTION');
  });
});
