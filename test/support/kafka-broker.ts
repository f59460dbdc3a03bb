/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one JVM) for the test suites.
 * The jars come from Maven Central through scripts/kafka/fetch-kafka.sh; everything binds 127.0.0.1.
 *
 * The JVM is started behind a one-line shell watchdog that holds a pipe from this process: when the pipe closes
 * (stop(), or this process dying in any way, even SIGKILL) the watchdog sends the broker SIGTERM, so no broker
 * outlives the test run.
 */
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { freePorts } from './free-ports.ts';

export const KAFKA_VERSION = '3.9.1';
const HOST = '127.0.0.1';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FETCH_SCRIPT = join(REPO_ROOT, 'scripts/kafka/fetch-kafka.sh');

export interface KafkaBrokerOptions {
  /** Working directory (config, data, logs). Default: a new temp dir, removed by close(). */
  dir?: string;
  /** JVM heap in MiB. Default 512. */
  heapMb?: number;
  /** How long start() and restart() wait for the broker to answer. Default 60 s. */
  readyTimeoutMs?: number;
}

export type KafkaBrokerErrorCode = 'KAFKA_FETCH_FAILED' | 'KAFKA_FORMAT_FAILED' | 'KAFKA_NOT_READY' | 'KAFKA_EXITED';

export class KafkaBrokerError extends Error {
  constructor(
    readonly code: KafkaBrokerErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'KafkaBrokerError';
  }
}

// Brokers whose JVM is running, killed when this process exits before stop() was called.
const running = new Set<ChildProcess>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      // Keep the default behaviour (exit by the signal) unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function libsDir(): string {
  return process.env.KAFKA_LIBS_DIR ?? join(REPO_ROOT, '.cache/kafka', KAFKA_VERSION, 'libs');
}

/** The directory of the broker's jars, fetched first when missing (so a plain `npx vitest` works). */
export async function ensureKafkaLibs(): Promise<string> {
  const dir = libsDir();
  if (existsSync(join(dir, '.complete'))) return dir;
  try {
    const { stdout } = await promisify(execFile)('bash', [FETCH_SCRIPT], { maxBuffer: 16 * 1024 * 1024 });
    const printed = stdout.trim().split('\n').pop() ?? dir;
    return printed;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new KafkaBrokerError('KAFKA_FETCH_FAILED', `${FETCH_SCRIPT} failed: ${String(err)}\n${stderr}`);
  }
}

function clusterId(): string {
  // Same shape as `kafka-storage random-uuid` (16 random bytes, base64url) without a JVM start;
  // Kafka refuses ids that start with '-'.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

export class KafkaBroker {
  /** Broker log (log4j), readable on failure; logTail() shows its end. */
  readonly logFile: string;
  /** The JVM's own stdout/stderr (startup errors before log4j is up). */
  readonly consoleFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly controllerPort: number,
    private readonly libs: string,
    private readonly heapMb: number,
    private readonly readyTimeoutMs: number,
    private readonly ownsDir: boolean,
  ) {
    this.logFile = join(dir, 'server.log');
    this.consoleFile = join(dir, 'console.log');
  }

  /** Fetches the jars when missing, writes the config, formats the storage, starts the JVM and waits for it. */
  static async start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const libs = await ensureKafkaLibs();
    const ownsDir = options.dir === undefined;
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'smsgw-kafka-'));
    mkdirSync(dir, { recursive: true });
    const [port, controllerPort] = (await freePorts(2)) as [number, number];
    const broker = new KafkaBroker(
      dir, port, controllerPort, libs, options.heapMb ?? 512, options.readyTimeoutMs ?? 60_000, ownsDir,
    );
    try {
      broker.writeConfig();
      await broker.formatStorage();
      await broker.launch();
    } catch (err) {
      // The directory stays so the log the error points to can be read.
      await broker.stop();
      throw err;
    }
    return broker;
  }

  get brokers(): string[] {
    return [`${HOST}:${this.port}`];
  }

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  /** Graceful stop (SIGTERM), SIGKILL after 15 s. Data and ports are kept for restart(). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    // Closing the pipe makes the watchdog send SIGTERM; signalling directly as well covers a dead watchdog.
    child.stdin?.end();
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((ok) => (timer = setTimeout(() => ok(true), 15_000))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Starts the broker again on the same ports and data, so clients reconnect to the address they know. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** stop() and remove the working directory when start() made it. */
  async close(): Promise<void> {
    await this.stop();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** The last lines of the broker log and of the JVM console (errors from before log4j is up), for failure messages. */
  logTail(lines = 40): string {
    const tail = (file: string): string => {
      if (!existsSync(file)) return '';
      return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    };
    const log = tail(this.logFile);
    const console = tail(this.consoleFile);
    return [log && `${this.logFile}:\n${log}`, console && `${this.consoleFile}:\n${console}`]
      .filter(Boolean)
      .join('\n') || '(no broker output)';
  }

  private get propertiesFile(): string {
    return join(this.dir, 'server.properties');
  }

  private writeConfig(): void {
    const props: Record<string, string | number> = {
      'process.roles': 'broker,controller',
      'node.id': 1,
      'controller.quorum.voters': `1@${HOST}:${this.controllerPort}`,
      listeners: `PLAINTEXT://${HOST}:${this.port},CONTROLLER://${HOST}:${this.controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${HOST}:${this.port}`,
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
      'log.dirs': join(this.dir, 'data'),
      'num.partitions': 1,
      'offsets.topic.replication.factor': 1,
      'offsets.topic.num.partitions': 1,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'transaction.state.log.num.partitions': 1,
      'group.initial.rebalance.delay.ms': 0,
      'auto.create.topics.enable': 'false',
      'delete.topic.enable': 'true',
    };
    writeFileSync(this.propertiesFile, Object.entries(props).map(([k, v]) => `${k}=${v}\n`).join(''));
    writeFileSync(
      join(this.dir, 'log4j.properties'),
      [
        'log4j.rootLogger=INFO, file',
        'log4j.appender.file=org.apache.log4j.FileAppender',
        `log4j.appender.file.File=${this.logFile}`,
        'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
        // The request log and the state change log are per request: far too much for a test run.
        'log4j.logger.kafka.request.logger=WARN',
        'log4j.logger.state.change.logger=WARN',
        '',
      ].join('\n'),
    );
  }

  private classpath(): string {
    return `${this.libs}/*`;
  }

  private async formatStorage(): Promise<void> {
    if (existsSync(join(this.dir, 'data', 'meta.properties'))) return;
    try {
      await promisify(execFile)('java', [
        '-cp', this.classpath(),
        `-Dlog4j.configuration=file:${join(this.dir, 'log4j.properties')}`,
        'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', this.propertiesFile,
      ]);
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new KafkaBrokerError('KAFKA_FORMAT_FAILED', `StorageTool format failed: ${String(err)}\n${stderr}`);
    }
  }

  private async launch(): Promise<void> {
    installExitHooks();
    const java = [
      'java', `-Xmx${this.heapMb}m`, '-Xss1m', '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${join(this.dir, 'log4j.properties')}`,
      '-cp', this.classpath(), 'kafka.Kafka', this.propertiesFile,
    ];
    // The subshell reads our pipe through fd 3 (a background job's own stdin is /dev/null) and, at EOF,
    // signals $$, which `exec` turns into the JVM's pid.
    const script = [
      'exec 3<&0',
      '( cat <&3 >/dev/null',
      'kill -TERM $$ 2>/dev/null || exit 0',
      'for _ in $(seq 150); do kill -0 $$ 2>/dev/null || exit 0; sleep 0.1; done',
      'kill -KILL $$ 2>/dev/null ) &',
      'exec 3<&-',
      'exec "$@"',
    ].join('\n');
    const out = openSync(this.consoleFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn('bash', ['-c', script, 'kafka-broker', ...java], { cwd: this.dir, stdio: ['pipe', out, out] });
    } finally {
      closeSync(out);
    }
    this.child = child;
    running.add(child);
    this.exited = new Promise<void>((ok) => {
      child.once('exit', () => {
        running.delete(child);
        if (this.child === child) this.child = undefined;
        child.stdin?.destroy();
        ok();
      });
    });
    try {
      await this.waitReady(child);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    const kafka = new Kafka({
      clientId: 'kafka-broker-probe',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      requestTimeout: 2_000,
      retry: { retries: 0 },
    });
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (this.child !== child) {
        throw new KafkaBrokerError('KAFKA_EXITED', `the broker exited during startup\n${this.logTail()}`);
      }
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        // In KRaft the listener accepts connections before the broker has registered with the controller.
        if (cluster.brokers.length > 0) {
          await admin.listTopics();
          return;
        }
      } catch (err) {
        lastError = err;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await delay(200);
    }
    throw new KafkaBrokerError(
      'KAFKA_NOT_READY',
      `no answer on ${this.brokers.join(',')} within ${this.readyTimeoutMs} ms (last: ${String(lastError)})\n${this.logTail()}`,
    );
  }
}
