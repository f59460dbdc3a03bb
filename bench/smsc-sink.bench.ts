/**
 * The SMSC simulator's sink rate (a script, never a timed test): `npm run bench:smsc`.
 * The simulator runs in its own process (`smsgw simulate smsc`, as testers run it); this process is a bare `smpp`
 * client that binds as a transceiver, keeps a window of submit_sm outstanding (pipelined: each answer releases the
 * next), answers every receipt, and reports submit_sm/s and receipts/s. Receipts are on (registered_delivery 1).
 * BENCH_SMSC_MESSAGES sets the messages per run (default 100,000).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { makePdu, smpp, type SmppPdu, type SmppSession } from '../simulator/smsc/smpp-lib.ts';

const MESSAGES = Number(process.env.BENCH_SMSC_MESSAGES ?? 100_000);
const WINDOWS = [100, 1000];
const BIN = fileURLToPath(new URL('../bin/smsgw.js', import.meta.url));

interface RunResult {
  readonly window: number;
  readonly submitsPerSecond: number;
  readonly receiptsPerSecond: number;
  readonly receipts: number;
  readonly errors: number;
}

interface Simulator {
  readonly port: number;
  readonly controlUrl: string;
  /** CPU seconds the simulator process has used so far (Linux /proc), undefined when unknown. */
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

function procCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields 14 and 15 of /proc/PID/stat: utime and stime in clock ticks (100 per second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function startSimulator(): Promise<Simulator> {
  // BENCH_SMSC_TARGET=host:smppPort:controlPort measures a simulator started elsewhere (e.g. under a profiler).
  const target = process.env.BENCH_SMSC_TARGET?.split(':');
  if (target !== undefined) {
    return { port: Number(target[1]), controlUrl: `http://${target[0]}:${target[2]}`, cpuSeconds: () => undefined, stop: () => Promise.resolve() };
  }
  const child = spawn(process.execPath, [BIN, 'simulate', 'smsc', '--port', '0', '--control-port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  const port = Number(/smpp=[^:]+:(\d+)/.exec(ready)?.[1]);
  const controlUrl = /control=(\S+)/.exec(ready)?.[1] ?? '';
  return {
    port,
    controlUrl,
    cpuSeconds: () => procCpuSeconds(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function connect(port: number): Promise<SmppSession> {
  return new Promise((resolve, reject) => {
    const session = smpp.connect({ host: '127.0.0.1', port }, () => {
      session.socket.setNoDelay(true);
      session.send(makePdu('bind_transceiver', { system_id: 'test', password: 'test' }), (resp: SmppPdu) => {
        if (resp.command_status === 0) resolve(session);
        else reject(new Error(`bind failed: ${resp.command_status}`));
      });
    });
    session.on('error', reject);
  });
}

async function run(port: number, window: number, total: number): Promise<RunResult> {
  const session = await connect(port);
  const shortMessage = Buffer.from('Benchmark message: the quick brown fox jumps over the lazy dog 0123456789', 'latin1');
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let receipts = 0;
  const started = process.hrtime.bigint();
  let submitsDone = 0n;
  const finished = new Promise<void>((resolve) => {
    session.on('deliver_sm', (pdu: SmppPdu) => {
      session.send(pdu.response());
      receipts++;
      if (receipts === total - errors && answered === total) resolve();
    });
    const sendNext = (): void => {
      if (sent >= total) return;
      sent++;
      session.send(
        makePdu('submit_sm', {
          source_addr_ton: 5,
          source_addr: 'Bench',
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: `8190${String(sent % 1e8).padStart(8, '0')}`,
          registered_delivery: 1,
          data_coding: 0,
          short_message: shortMessage,
        }),
        (resp: SmppPdu) => {
          answered++;
          if (resp.command_status !== 0) errors++;
          if (answered === total) {
            submitsDone = process.hrtime.bigint();
            if (receipts === total - errors) resolve();
          }
          sendNext();
        },
      );
    };
    for (let i = 0; i < window; i++) sendNext();
  });
  await finished;
  const ended = process.hrtime.bigint();
  await new Promise<void>((resolve) => session.send(makePdu('unbind'), () => resolve()));
  session.close();
  const submitSeconds = Number(submitsDone - started) / 1e9;
  const allSeconds = Number(ended - started) / 1e9;
  return { window, submitsPerSecond: total / submitSeconds, receiptsPerSecond: receipts / allSeconds, receipts, errors };
}

const simulator = await startSimulator();
try {
  // A short warm-up so the JIT has compiled both sides before measuring.
  await run(simulator.port, 100, Math.min(20_000, MESSAGES));
  await fetch(`${simulator.controlUrl}/reset`, { method: 'POST' });
  console.log(`SMSC simulator sink rate: ${MESSAGES} submit_sm per run, receipts on, bare smpp client, 1 transceiver bind`);
  for (const window of WINDOWS) {
    const cpuBefore = simulator.cpuSeconds();
    const clientBefore = process.cpuUsage();
    const r = await run(simulator.port, window, MESSAGES);
    const cpuAfter = simulator.cpuSeconds();
    const client = process.cpuUsage(clientBefore);
    const simMicros = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1e6) / MESSAGES;
    const clientMicros = (client.user + client.system) / MESSAGES;
    console.log(
      `window ${String(window).padStart(5)}: ${Math.round(r.submitsPerSecond).toLocaleString('en-US').padStart(8)} submit_sm/s, ` +
        `${Math.round(r.receiptsPerSecond).toLocaleString('en-US').padStart(8)} receipts/s (${r.receipts} receipts, ${r.errors} errors); ` +
        `CPU per message: simulator ${simMicros === undefined ? '?' : simMicros.toFixed(1)} us` +
        `${simMicros === undefined ? '' : ` (one core: ${Math.round(1e6 / simMicros).toLocaleString('en-US')} submit_sm/s with receipts)`}, ` +
        `client ${clientMicros.toFixed(1)} us`,
    );
  }
  const counts = (await (await fetch(`${simulator.controlUrl}/counts`)).json()) as { acceptedParts: number; receiptsAcknowledged: number };
  console.log(`simulator counted ${counts.acceptedParts} accepted parts, ${counts.receiptsAcknowledged} receipts acknowledged`);
} finally {
  await simulator.stop();
}
