/**
 * A real local Redis Cluster for the `*.cluster.test.ts` suites: three masters (`redis-server --cluster-enabled
 * yes`, Debian's redis-server package) on free loopback ports, joined by `redis-cli --cluster create` (redis-tools),
 * in a temporary directory that close() removes. No persistence: the cluster lives as long as the test run. The bus
 * ports are chosen too (`cluster-port`, Redis 7), so no port of another process is assumed free.
 *
 * Each server runs behind the same one-line shell watchdog as the Kafka broker (kafka-broker.ts): it holds a pipe
 * from this process, and when the pipe closes (close(), or this process dying in any way) it stops the server, so
 * no server outlives the run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePorts } from './free-ports.ts';

const HOST = '127.0.0.1';
const run = promisify(execFile);

export interface RedisClusterOptions {
  /** Masters (no replicas). Default 3, the fewest `redis-cli --cluster create` accepts. */
  readonly masters?: number;
  /** How long start() waits for every node to report `cluster_state:ok`. Default 30 s. */
  readonly readyTimeoutMs?: number;
}

interface Node {
  readonly port: number;
  readonly busPort: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

// Servers still running, killed when this process exits before close() was called.
const running = new Set<ChildProcess>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

export class RedisCluster {
  private constructor(
    readonly dir: string,
    private readonly nodes: Node[],
  ) {}

  /** Starts the servers, creates the cluster (every slot assigned) and waits until every node says it is ok. */
  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    installExitHooks();
    const masters = options.masters ?? 3;
    const dir = mkdtempSync(join(tmpdir(), 'smsgw-redis-cluster-'));
    const ports = await freePorts(masters * 2);
    const cluster = new RedisCluster(dir, []);
    try {
      for (let i = 0; i < masters; i++) cluster.nodes.push(cluster.launch(ports[2 * i] as number, ports[2 * i + 1] as number));
      await Promise.all(cluster.nodes.map((node) => cluster.waitAnswering(node)));
      await run('redis-cli', ['--cluster', 'create', ...cluster.addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
      await cluster.waitOk(options.readyTimeoutMs ?? 30_000);
    } catch (error: unknown) {
      const logs = cluster.logTail();
      await cluster.close();
      throw new Error(`the Redis Cluster did not start: ${error instanceof Error ? error.message : String(error)}\n${logs}`, { cause: error });
    }
    return cluster;
  }

  /** `host:port` of every master. */
  get addresses(): string[] {
    return this.nodes.map((node) => `${HOST}:${node.port}`);
  }

  /** The gateway's URL form of this cluster (REDIS_URL). */
  get url(): string {
    return `redis+cluster://${this.addresses.join(',')}`;
  }

  /** Stops every server (SIGTERM, SIGKILL after 5 s) and removes the directory. */
  async close(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        node.child.stdin?.end();
        node.child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const killed = await Promise.race([node.exited.then(() => false), new Promise<boolean>((ok) => (timer = setTimeout(() => ok(true), 5_000)))]);
        clearTimeout(timer);
        if (killed) {
          node.child.kill('SIGKILL');
          await node.exited;
        }
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The end of every server's log, for failure messages. */
  logTail(lines = 20): string {
    return this.nodes
      .map((node) => {
        const file = join(this.dir, `${node.port}.log`);
        const text = existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
        return `--- redis-server ${node.port}\n${text}`;
      })
      .join('\n');
  }

  private launch(port: number, busPort: number): Node {
    const server = [
      'redis-server', '--port', String(port), '--bind', HOST, '--cluster-enabled', 'yes', '--cluster-port', String(busPort),
      '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '5000', '--dir', this.dir,
      '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '',
    ];
    // The subshell reads our pipe through fd 3 (a background job's own stdin is /dev/null) and, at EOF,
    // signals $$, which `exec` turns into the server's pid.
    const script = [
      'exec 3<&0',
      '( cat <&3 >/dev/null',
      'kill -TERM $$ 2>/dev/null || exit 0',
      'for _ in $(seq 50); do kill -0 $$ 2>/dev/null || exit 0; sleep 0.1; done',
      'kill -KILL $$ 2>/dev/null ) &',
      'exec 3<&-',
      'exec "$@"',
    ].join('\n');
    const out = openSync(join(this.dir, `${port}.log`), 'a');
    let child: ChildProcess;
    try {
      child = spawn('bash', ['-c', script, 'redis-cluster-node', ...server], { cwd: this.dir, stdio: ['pipe', out, out] });
    } finally {
      closeSync(out);
    }
    running.add(child);
    const exited = new Promise<void>((ok) => {
      child.once('exit', () => {
        running.delete(child);
        child.stdin?.destroy();
        ok();
      });
    });
    return { port, busPort, child, exited };
  }

  private async waitAnswering(node: Node): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (node.child.exitCode !== null) throw new Error(`redis-server on port ${node.port} exited`);
      const probe = new Redis({ host: HOST, port: node.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        // not listening yet
      } finally {
        probe.disconnect();
      }
      if (Date.now() > deadline) throw new Error(`redis-server on port ${node.port} did not answer`);
      await delay(50);
    }
  }

  private async waitOk(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const clients = this.nodes.map((node) => new Redis({ host: HOST, port: node.port, maxRetriesPerRequest: 1 }));
    try {
      for (;;) {
        const infos = await Promise.all(clients.map((client) => client.cluster('INFO')));
        const ok = infos.every(
          (info) => info.includes('cluster_state:ok') && info.includes('cluster_slots_ok:16384') && info.includes(`cluster_known_nodes:${this.nodes.length}`),
        );
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`cluster_state is not ok on every node:\n${infos.join('\n')}`);
        await delay(100);
      }
    } finally {
      for (const client of clients) client.disconnect();
    }
  }
}
