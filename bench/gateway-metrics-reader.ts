/**
 * The figures the benchmark reads from the gateway's /metrics (Prometheus text), added up over every process of
 * the gateway. Each process of `smsgw serve --workers N` counts only what it did itself and serves its own
 * /metrics on the shared port, and the primary hands each new connection to the next worker, so which worker
 * answers a request is not up to the client. The reader keeps one keep-alive connection to each worker (a
 * connection stays with the worker that took it) and learns which worker took it from /proc: the server end of
 * the connection in /proc/net/tcp gives the socket's inode, and the worker holding that inode among its
 * /proc/<pid>/fd is the one.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Pool } from 'undici';

export interface GatewayMetrics {
  readonly delivered: number;
  readonly heapUsedBytes: number;
  readonly outboxSize: number;
  /** Cumulative buckets of the submit-to-receipt histogram: [upper bound s, count]. */
  readonly receiptBuckets: readonly [number, number][];
}

export function parseMetrics(text: string): GatewayMetrics {
  const delivered = Number(/smsgw_message_status_total\{status="delivered"\} (\d+)/.exec(text)?.[1] ?? 0);
  const outboxSize = Number(/^smsgw_event_outbox_size (\d+)/m.exec(text)?.[1] ?? 0);
  const heapUsedBytes = Number(/^smsgw_nodejs_heap_size_used_bytes (\d+)/m.exec(text)?.[1] ?? 0);
  const receiptBuckets: [number, number][] = [];
  for (const m of text.matchAll(/smsgw_submit_to_receipt_seconds_bucket\{le="([^"]+)",connector="[^"]+"\} (\d+)/g)) {
    receiptBuckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  }
  return { delivered, heapUsedBytes, outboxSize, receiptBuckets };
}

/** Several processes' figures as one: counts, heaps and outboxes added, histogram buckets added bound by bound. */
export function sumMetrics(all: readonly GatewayMetrics[]): GatewayMetrics {
  const buckets = new Map<number, number>();
  for (const m of all) for (const [le, count] of m.receiptBuckets) buckets.set(le, (buckets.get(le) ?? 0) + count);
  return {
    delivered: all.reduce((sum, m) => sum + m.delivered, 0),
    heapUsedBytes: all.reduce((sum, m) => sum + m.heapUsedBytes, 0),
    outboxSize: all.reduce((sum, m) => sum + m.outboxSize, 0),
    receiptBuckets: [...buckets].sort((a, b) => a[0] - b[0]),
  };
}

export interface MetricsReader {
  /** The whole gateway's figures. */
  read(): Promise<GatewayMetrics>;
  close(): Promise<void>;
}

/** One gateway process: one connection of its own, so a scrape never waits behind the load. */
export function processMetricsReader(url: string): MetricsReader {
  const pool = new Pool(url, { connections: 1, pipelining: 1 });
  return {
    read: async () => {
      const { body } = await pool.request({ path: '/metrics', method: 'GET' });
      return parseMetrics(await body.text());
    },
    close: () => pool.close(),
  };
}

/** The inode of the server end of the TCP connection from `clientPort` to `serverPort` (IPv4, /proc/net/tcp). */
export function serverSocketInode(procNetTcp: string, serverPort: number, clientPort: number): string | undefined {
  for (const line of procNetTcp.split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const local = Number.parseInt(f[1]?.split(':')[1] ?? '', 16);
    const remote = Number.parseInt(f[2]?.split(':')[1] ?? '', 16);
    if (local === serverPort && remote === clientPort) return f[9];
  }
  return undefined;
}

function socketOwner(inode: string, pids: readonly number[]): number | undefined {
  const link = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return pid;
      } catch {
        // Closed while looking.
      }
    }
  }
  return undefined;
}

interface Scrape {
  readonly text: string;
  /** The worker that answered, when the connection was new (undefined on a reused one: same worker as before). */
  readonly owner: number | undefined;
  readonly reused: boolean;
}

function scrapeOn(agent: Agent, url: URL, workerPids: () => readonly number[]): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: '/metrics', agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const reused = req.reusedSocket;
        let owner: number | undefined;
        if (!reused) {
          const inode = serverSocketInode(readFileSync('/proc/net/tcp', 'utf8'), Number(url.port), req.socket?.localPort ?? -1);
          owner = inode === undefined ? undefined : socketOwner(inode, workerPids());
        }
        resolve({ text: Buffer.concat(chunks).toString('utf8'), owner, reused });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `smsgw serve --workers N`: one keep-alive connection per worker. `workerPids` lists the candidates (the
 * primary's descendants). A connection that was closed meanwhile (keep-alive timeout) is opened again, and
 * again until it reaches its worker.
 */
export async function workerMetricsReader(baseUrl: string, workers: number, workerPids: () => readonly number[]): Promise<MetricsReader> {
  const url = new URL(baseUrl);
  const agents = new Map<number, Agent>();
  const newAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: 1 });
  for (let attempt = 0; agents.size < workers; attempt++) {
    if (attempt >= workers * 20) {
      for (const agent of agents.values()) agent.destroy();
      throw new Error(`reached ${agents.size} of ${workers} gateway workers over ${attempt} connections`);
    }
    const agent = newAgent();
    const { owner } = await scrapeOn(agent, url, workerPids);
    if (owner === undefined || agents.has(owner)) agent.destroy();
    else agents.set(owner, agent);
  }
  const readWorker = async (pid: number): Promise<GatewayMetrics> => {
    for (let attempt = 0; attempt < workers * 20; attempt++) {
      const agent = agents.get(pid) as Agent;
      const scrape = await scrapeOn(agent, url, workerPids);
      if (scrape.reused || scrape.owner === pid) return parseMetrics(scrape.text);
      // The connection was opened again and went to another worker: try a fresh one.
      agent.destroy();
      agents.set(pid, newAgent());
    }
    throw new Error(`could not reach gateway worker ${pid} again`);
  };
  return {
    read: async () => sumMetrics(await Promise.all([...agents.keys()].map(readWorker))),
    close: async () => {
      for (const agent of agents.values()) agent.destroy();
      await Promise.resolve();
    },
  };
}

/** How often the load generator asks the gateway's /metrics whether everything is delivered. */
const DELIVERED_POLL_MS = 100;

/** Resolves to the time (Date.now()) the gateway first counts `target` messages delivered; throws after `timeoutMs`. */
export async function waitDelivered(metrics: MetricsReader, target: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { delivered } = await metrics.read();
    if (delivered >= target) return Date.now();
    if (Date.now() > deadline) throw new Error(`only ${delivered} of ${target} delivered`);
    await new Promise((r) => setTimeout(r, DELIVERED_POLL_MS));
  }
}
