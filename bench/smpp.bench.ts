/**
 * SMPP driver throughput (a script, never a timed test): `npm run bench:smpp`.
 * The SMSC simulator runs in its own process (`smsgw simulate smsc`, happy scenario: every submit answered at once,
 * a DELIVRD receipt right after). This process runs, one after another, the driver with 1 and 4 transceiver binds at
 * window 1, 10 and 100, and a bare `smpp` package client pipelining 100 submits on one bind, and prints
 * submit_sm/s, receipts/s and this process's CPU per message for each; then it alternates the driver (1 bind,
 * window 100) and the bare client three times and compares their medians.
 * BENCH_SMPP_MESSAGES sets the messages per run (default 30,000).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeText } from '../drivers/codec/index.ts';
import { SmppConnector } from '../drivers/smpp/index.ts';
import type { DriverSink, SendRequest } from '../drivers/transport/index.ts';

const MESSAGES = Number(process.env.BENCH_SMPP_MESSAGES ?? 30_000);
const BIN = fileURLToPath(new URL('../bin/smsgw.js', import.meta.url));
const TEXT = 'Benchmark message: the quick brown fox jumps over the lazy dog 0123456789';

interface BarePdu {
  command_status: number;
  response(): BarePdu;
}
interface BareSession {
  socket: Socket;
  send(pdu: BarePdu, onResponse?: (resp: BarePdu) => void): boolean;
  on(event: string, listener: (pdu: BarePdu) => void): void;
  close(): void;
}
interface SmppPackage {
  connect(options: { host: string; port: number }, onConnect: () => void): BareSession;
  PDU: new (command: string, fields?: Record<string, unknown>) => BarePdu;
}
const smpp = createRequire(import.meta.url)('smpp') as SmppPackage;

interface Simulator {
  readonly port: number;
  readonly controlUrl: string;
  stop(): Promise<void>;
}

async function startSimulator(): Promise<Simulator> {
  const child = spawn(process.execPath, [BIN, 'simulate', 'smsc', '--port', '0', '--control-port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${String(code)}`)));
  });
  return {
    port: Number(/smpp=[^:]+:(\d+)/.exec(ready)?.[1]),
    controlUrl: /control=(\S+)/.exec(ready)?.[1] ?? '',
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface RunResult {
  readonly submitsPerSecond: number;
  readonly receiptsPerSecond: number;
  readonly failures: number;
  /** CPU of this process per message (submit, answer, receipt): the driver's own cost, steadier than rates on a busy machine. */
  readonly cpuMicros: number;
}

async function runDriver(port: number, binds: number, window: number, total: number): Promise<RunResult> {
  const connector = new SmppConnector({
    id: 'bench',
    host: '127.0.0.1',
    port,
    systemId: 'test',
    password: 'test',
    binds,
    windowSize: window,
    enquireLinkIntervalMs: 60_000,
  });
  let receipts = 0;
  let allReceipts: () => void = () => undefined;
  const receiptsDone = new Promise<void>((resolve) => (allReceipts = resolve));
  const sink: DriverSink = {
    receipt: () => {
      receipts += 1;
      if (receipts === total) allReceipts();
      return Promise.resolve();
    },
    inbound: () => Promise.resolve(),
  };
  await connector.start(sink);
  while (connector.health().links.some((l) => !l.up)) await new Promise((resolve) => setTimeout(resolve, 10));
  const encoded = encodeText(TEXT);
  const request: SendRequest = { messageId: 'bench', to: '+819012345678', from: 'Bench', encoded, receipt: true };
  let next = 0;
  let failures = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  // Enough senders to keep every window full; each awaits its own result, as gateway dispatch workers do.
  const worker = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      const result = await connector.send(request);
      if (result.parts[0]?.status !== 'submitted') failures += 1;
    }
  };
  await Promise.all(Array.from({ length: binds * window * 2 }, worker));
  const submitsDone = process.hrtime.bigint();
  await Promise.race([receiptsDone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  const ended = process.hrtime.bigint();
  const used = process.cpuUsage(cpu);
  await connector.close();
  return {
    submitsPerSecond: total / (Number(submitsDone - started) / 1e9),
    receiptsPerSecond: receipts / (Number(ended - started) / 1e9),
    failures,
    cpuMicros: (used.user + used.system) / total,
  };
}

async function runBare(port: number, window: number, total: number): Promise<RunResult> {
  const session = await new Promise<BareSession>((resolve, reject) => {
    const s = smpp.connect({ host: '127.0.0.1', port }, () => {
      s.socket.setNoDelay(true);
      s.send(new smpp.PDU('bind_transceiver', { system_id: 'test', password: 'test' }), (resp) => {
        if (resp.command_status === 0) resolve(s);
        else reject(new Error(`bind failed: ${resp.command_status}`));
      });
    });
  });
  const shortMessage = Buffer.from(TEXT, 'latin1');
  let sent = 0;
  let answered = 0;
  let failures = 0;
  let receipts = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let submitsDone = started;
  await new Promise<void>((resolve) => {
    session.on('deliver_sm', (pdu) => {
      session.send(pdu.response());
      receipts += 1;
      if (receipts === total - failures && answered === total) resolve();
    });
    const sendNext = (): void => {
      if (sent >= total) return;
      sent += 1;
      session.send(
        new smpp.PDU('submit_sm', {
          source_addr_ton: 5,
          source_addr: 'Bench',
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: '819012345678',
          registered_delivery: 1,
          data_coding: 0,
          short_message: shortMessage,
        }),
        (resp) => {
          answered += 1;
          if (resp.command_status !== 0) failures += 1;
          if (answered === total) {
            submitsDone = process.hrtime.bigint();
            if (receipts === total - failures) resolve();
          }
          sendNext();
        },
      );
    };
    for (let i = 0; i < window; i++) sendNext();
  });
  const ended = process.hrtime.bigint();
  const used = process.cpuUsage(cpu);
  session.close();
  return {
    submitsPerSecond: total / (Number(submitsDone - started) / 1e9),
    receiptsPerSecond: receipts / (Number(ended - started) / 1e9),
    failures,
    cpuMicros: (used.user + used.system) / total,
  };
}

function line(label: string, r: RunResult): string {
  const n = (v: number): string => Math.round(v).toLocaleString('en-US').padStart(8);
  return (
    `${label.padEnd(28)} ${n(r.submitsPerSecond)} submit_sm/s ${n(r.receiptsPerSecond)} receipts/s  ` +
    `${r.cpuMicros.toFixed(1).padStart(6)} us CPU/message  failures ${r.failures}`
  );
}

const simulator = await startSimulator();
try {
  // Warm-up: let the JIT compile both sides before anything is measured.
  await runDriver(simulator.port, 1, 100, Math.min(10_000, MESSAGES));
  await runBare(simulator.port, 100, Math.min(10_000, MESSAGES));
  console.log(`SMPP driver -> simulator (separate process), ${MESSAGES} single-part messages per run, receipts on`);
  for (const binds of [1, 4]) {
    for (const window of [1, 10, 100]) {
      // Window 1 is bound by round trips: fewer messages keep the run short.
      const total = window === 1 ? Math.ceil(MESSAGES / 5) : MESSAGES;
      const r = await runDriver(simulator.port, binds, window, total);
      console.log(line(`driver ${binds} bind${binds > 1 ? 's' : ''}, window ${window}`, r));
    }
  }
  // The comparison alternates the two, three rounds, and takes medians: a busy machine drifts between runs.
  const driverRounds: RunResult[] = [];
  const bareRounds: RunResult[] = [];
  for (let round = 0; round < 3; round++) {
    driverRounds.push(await runDriver(simulator.port, 1, 100, MESSAGES));
    bareRounds.push(await runBare(simulator.port, 100, MESSAGES));
  }
  const median = (rounds: RunResult[], key: 'submitsPerSecond' | 'cpuMicros'): number =>
    rounds.map((r) => r[key]).sort((a, b) => a - b)[1] as number;
  console.log(line('bare smpp client, window 100', bareRounds[0] as RunResult));
  const rate = median(driverRounds, 'submitsPerSecond') / median(bareRounds, 'submitsPerSecond');
  const cpu = median(driverRounds, 'cpuMicros') / median(bareRounds, 'cpuMicros');
  console.log(
    `driver (1 bind, window 100) vs bare client, median of 3 alternating rounds: ` +
      `${Math.round(median(driverRounds, 'submitsPerSecond')).toLocaleString('en-US')} vs ` +
      `${Math.round(median(bareRounds, 'submitsPerSecond')).toLocaleString('en-US')} submit_sm/s = ${(rate * 100).toFixed(0)}% (target >= 80%); ` +
      `CPU per message ${cpu.toFixed(2)}x the bare client's`,
  );
} finally {
  await simulator.stop();
}
