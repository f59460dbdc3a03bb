/**
 * Kannel (bearerbox + smsbox, Debian's `kannel` package) against the same SMSC simulator as the gateway, for the
 * ratios of issue 18: one SMPP link (transceiver) with `max-pending-submits` 100, delivery reports on, messages
 * through smsbox's sendsms (one HTTP GET each, `dlr-mask` 3 = delivered or failed), counted as delivered when
 * smsbox calls the `dlr-url` back with type 1. Kannel's queue is in memory, or in its durable store file
 * (`store-type = file`). CPU and RSS are both boxes' together, from /proc.
 *
 * Kannel matches a receipt to its message by the SMSC's id: the simulator's ids are hex strings, the same in
 * submit_sm_resp, in the receipt's `id:` text and in receipted_message_id, and Kannel without `msg-id-type` keeps
 * ids as the strings they are (its default, SMPP's C-string ids), so they match without conversion.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Pool } from 'undici';
import type { BenchOptions, KannelMode } from './bench-options.ts';
import { cpuPerThousand, percentile, type ProcessCpu } from './bench-summary.ts';
import { spawnReady, stop } from './bench-processes.ts';
import { machineCpuReader } from './machine-cpu.ts';
import { cpuSeconds, loadAverage, peakRssMiB, rssMiB } from './proc-stats.ts';
import { freePorts } from '../test/support/free-ports.ts';

const USER = 'bench';
const PASSWORD = 'bench';
const ADMIN_PASSWORD = 'bench-admin';
/** The sender Kannel puts in source_addr. */
const SENDER = '12345';
/** registered_delivery asked for: 1 (delivered) + 2 (failed). */
const DLR_MASK = 3;

export interface KannelConfig {
  readonly adminPort: number;
  readonly smsboxPort: number;
  readonly sendsmsPort: number;
  readonly smppHost: string;
  readonly smppPort: number;
  readonly systemId: string;
  readonly password: string;
  /** The durable store file (`store-type = file`); without it Kannel keeps its queue in memory only. */
  readonly storeFile?: string;
}

/** kannel.conf for one bearerbox with one SMPP link and one smsbox serving sendsms, all on 127.0.0.1. */
export function kannelConf(c: KannelConfig): string {
  const groups: string[][] = [
    [
      'group = core',
      `admin-port = ${c.adminPort}`,
      `admin-password = ${ADMIN_PASSWORD}`,
      'admin-interface = 127.0.0.1',
      `smsbox-port = ${c.smsboxPort}`,
      'smsbox-interface = 127.0.0.1',
      'box-allow-ip = 127.0.0.1',
      'dlr-storage = internal',
      ...(c.storeFile === undefined ? [] : ['store-type = file', `store-location = "${c.storeFile}"`]),
    ],
    [
      'group = smsc',
      'smsc = smpp',
      'smsc-id = sim',
      `host = ${c.smppHost}`,
      `port = ${c.smppPort}`,
      'receive-port = 0',
      'transceiver-mode = true',
      `smsc-username = "${c.systemId}"`,
      `smsc-password = "${c.password}"`,
      'system-type = ""',
      'max-pending-submits = 100',
    ],
    ['group = smsbox', 'bearerbox-host = 127.0.0.1', `bearerbox-port = ${c.smsboxPort}`, `sendsms-port = ${c.sendsmsPort}`, 'sendsms-interface = 127.0.0.1'],
    ['group = sendsms-user', `username = ${USER}`, `password = ${PASSWORD}`],
  ];
  return `${groups.map((g) => g.join('\n')).join('\n\n')}\n`;
}

/** The sendsms request of message `n`: its dlr-url tells the DLR sink which message a report is for. */
export function sendsmsPath(n: number, dlrPort: number): string {
  const query = new URLSearchParams({
    username: USER,
    password: PASSWORD,
    from: SENDER,
    to: `+8190${String(10_000_000 + n)}`,
    text: `Your order ${n} has shipped and arrives tomorrow.`,
    'dlr-mask': String(DLR_MASK),
    // %d: the report type (1 delivered, 2 failed, ...).
    'dlr-url': `http://127.0.0.1:${dlrPort}/dlr?n=${n}&type=%d`,
  });
  return `/cgi-bin/sendsms?${query.toString()}`;
}

/** The directory holding bearerbox and smsbox: the one given, else the first on PATH, else /usr/sbin; undefined if none. */
export function findKannel(given: string | undefined): string | undefined {
  const dirs = given !== undefined ? [given] : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'bearerbox'), constants.X_OK);
      accessSync(join(dir, 'smsbox'), constants.X_OK);
      return dir;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Counts smsbox's dlr-url calls: type 1 once per message is a delivery; anything else is counted apart. */
class DlrSink {
  private readonly seen: Uint8Array;
  delivered = 0;
  otherTypes = 0;
  duplicates = 0;
  private waiter: { target: number; resolve: () => void } | undefined;
  private readonly server: Server;

  private constructor(size: number) {
    this.seen = new Uint8Array(size);
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://sink');
      const n = Number(url.searchParams.get('n'));
      if (url.searchParams.get('type') !== '1') this.otherTypes++;
      else if (Number.isInteger(n) && n >= 0 && n < this.seen.length) {
        if (this.seen[n] === 1) this.duplicates++;
        else {
          this.seen[n] = 1;
          this.delivered++;
          if (this.waiter !== undefined && this.delivered >= this.waiter.target) {
            this.waiter.resolve();
            this.waiter = undefined;
          }
        }
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(size: number): Promise<{ sink: DlrSink; port: number }> {
    const sink = new DlrSink(size);
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    const address = sink.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('DLR sink has no port');
    return { sink, port: address.port };
  }

  /** Resolves with Date.now() once `target` messages are delivered. */
  waitDelivered(target: number, timeoutMs: number): Promise<number> {
    if (this.delivered >= target) return Promise.resolve(Date.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Kannel: only ${this.delivered} of ${target} delivery reports`)), timeoutMs);
      this.waiter = {
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve(Date.now());
        },
      };
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** SIGTERM, SIGKILL after `graceMs`; resolves once the process has exited. */
function stopWithin(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** One box, its standard output and error in `<dir>/<name>.log`; `-v 3`: errors only, like the gateway's `warn`. */
function startBox(binDir: string, name: 'bearerbox' | 'smsbox', confPath: string, dir: string): { child: ChildProcess; log: string } {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'a');
  try {
    const child = spawn(join(binDir, name), ['-v', '3', confPath], { stdio: ['ignore', fd, fd] });
    return { child, log };
  } finally {
    closeSync(fd);
  }
}

/** Polls bearerbox's status page until `ready` holds for its text; fails early if a box has exited. */
async function waitStatus(adminPort: number, ready: (status: string) => boolean, boxes: readonly { child: ChildProcess; log: string }[], what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const box of boxes) {
      if (box.child.exitCode !== null || box.child.signalCode !== null) {
        throw new Error(`Kannel: ${what}: a box exited (${String(box.child.exitCode ?? box.child.signalCode)}); its log:\n${readFileSync(box.log, 'utf8').slice(-2_000)}`);
      }
    }
    try {
      const res = await fetch(`http://127.0.0.1:${adminPort}/status.txt?password=${ADMIN_PASSWORD}`);
      if (ready(await res.text())) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`Kannel: ${what}: not ready within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends messages `from` .. `from + count - 1` through sendsms, `concurrency` in flight; accept latencies, sorted. */
async function sendsms(pool: Pool, from: number, count: number, concurrency: number, dlrPort: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = from + next++;
      const started = performance.now();
      const { statusCode, body } = await pool.request({ path: sendsmsPath(n, dlrPort), method: 'GET' });
      const text = await body.text();
      if (statusCode !== 202) throw new Error(`Kannel sendsms answered ${statusCode}: ${text}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies.sort((a, b) => a - b);
}

export interface KannelRunResult {
  readonly mode: KannelMode;
  readonly run: number;
  readonly messages: number;
  readonly concurrency: number;
  readonly acceptedPerSecond: number;
  /** Messages over the time from the first sendsms to the last delivery report received. */
  readonly deliveredPerSecond: number;
  readonly acceptLatencyMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** bearerbox + smsbox CPU seconds per 1,000 messages over the same time. */
  readonly cpuSecondsPerThousand: number;
  readonly cpuSeconds: { readonly bearerbox: number; readonly smsbox: number };
  /** Every process's CPU seconds per 1,000 messages over the same time: the boxes, the simulator, this load generator. */
  readonly machine: ProcessCpu;
  /** Both boxes' RSS added up (peak: the sum of each one's peak). */
  readonly rssMiB: { readonly start: number; readonly afterWarmup: number; readonly peak: number; readonly end: number };
  readonly dlrs: { readonly delivered: number; readonly otherTypes: number; readonly duplicates: number };
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
}

/** One run of one Kannel mode: fresh simulator, boxes, store file and DLR sink; everything stopped at the end. */
export async function runKannel(mode: KannelMode, run: number, options: BenchOptions, binDir: string): Promise<KannelRunResult> {
  const loadStart = loadAverage();
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-bench-kannel-'));
  const total = options.warmup + options.messages;
  const { sink, port: dlrPort } = await DlrSink.start(total);
  const simulator = await spawnReady(['simulate', 'smsc', '--port', '0', '--control-port', '0'], process.env, /smpp=([^:\s]+):(\d+)/);
  const boxes: { child: ChildProcess; log: string }[] = [];
  let pool: Pool | undefined;
  try {
    // Kannel's configuration cannot ask for port 0.
    const [adminPort, smsboxPort, sendsmsPort] = (await freePorts(3)) as [number, number, number];
    const conf = kannelConf({
      adminPort,
      smsboxPort,
      sendsmsPort,
      smppHost: simulator.match[1] as string,
      smppPort: Number(simulator.match[2]),
      systemId: 'test',
      password: 'test',
      ...(mode === 'kannel-store' ? { storeFile: join(dir, 'kannel.store') } : {}),
    });
    const confPath = join(dir, 'kannel.conf');
    writeFileSync(confPath, conf);
    const bearerbox = startBox(binDir, 'bearerbox', confPath, dir);
    boxes.push(bearerbox);
    // The status page says `store size -1` without a store: the store-file mode must show a real one.
    const storeReady = (s: string): boolean => mode === 'kannel-memory' || /store size \d+/.test(s);
    await waitStatus(adminPort, (s) => /sim\[sim\].*\(online /.test(s) && storeReady(s), boxes, 'SMPP link online');
    const smsbox = startBox(binDir, 'smsbox', confPath, dir);
    boxes.push(smsbox);
    await waitStatus(adminPort, (s) => /^\s+smsbox:/m.test(s), boxes, 'smsbox connected');
    const pids = [bearerbox.child.pid as number, smsbox.child.pid as number] as const;
    const rssNow = (): number => pids.reduce((sum, pid) => sum + rssMiB(pid), 0);
    const cpuNow = (): [number, number] => [cpuSeconds(pids[0]), cpuSeconds(pids[1])];
    const machineNow = machineCpuReader({ trees: { bearerbox: pids[0], smsbox: pids[1], simulator: simulator.child.pid as number } });
    const rssStart = rssNow();
    pool = new Pool(`http://127.0.0.1:${sendsmsPort}`, { connections: options.concurrency, pipelining: 1 });

    await sendsms(pool, 0, options.warmup, options.concurrency, dlrPort);
    await sink.waitDelivered(options.warmup, 120_000);
    const rssAfterWarmup = rssNow();
    const cpuStart = cpuNow();
    const machineStart = machineNow();
    const t0 = Date.now();
    const started = performance.now();
    const latencies = await sendsms(pool, options.warmup, options.messages, options.concurrency, dlrPort);
    const acceptedMs = performance.now() - started;
    const deliveredAt = await sink.waitDelivered(total, 600_000);
    const cpuEnd = cpuNow();
    const machine = cpuPerThousand(machineStart, machineNow(), options.messages);
    const cpu = { bearerbox: +(cpuEnd[0] - cpuStart[0]).toFixed(2), smsbox: +(cpuEnd[1] - cpuStart[1]).toFixed(2) };
    return {
      mode,
      run,
      messages: options.messages,
      concurrency: options.concurrency,
      acceptedPerSecond: Math.round(options.messages / (acceptedMs / 1000)),
      deliveredPerSecond: Math.round(options.messages / ((deliveredAt - t0) / 1000)),
      acceptLatencyMs: { p50: +percentile(latencies, 50).toFixed(2), p95: +percentile(latencies, 95).toFixed(2), p99: +percentile(latencies, 99).toFixed(2) },
      cpuSecondsPerThousand: +(((cpu.bearerbox + cpu.smsbox) / options.messages) * 1000).toFixed(3),
      cpuSeconds: cpu,
      machine,
      rssMiB: { start: rssStart, afterWarmup: rssAfterWarmup, peak: peakRssMiB(pids[0]) + peakRssMiB(pids[1]), end: rssNow() },
      dlrs: { delivered: sink.delivered, otherTypes: sink.otherTypes, duplicates: sink.duplicates },
      loadAverage: { start: loadStart, end: loadAverage() },
    };
  } finally {
    await pool?.close();
    // smsbox first, so bearerbox does not wait for it to come back.
    for (const box of [...boxes].reverse()) await stopWithin(box.child, 10_000);
    await stop(simulator.child);
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
