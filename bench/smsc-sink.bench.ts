/**
 * The SMSC simulator's sink rate (a script, never a timed test): `npm run bench:smsc`.
 * The simulator runs in its own process (`smsgw simulate smsc`, as testers run it); this process is a bare `smpp`
 * client that binds as a transceiver, keeps a window of submit_sm outstanding (pipelined: each answer releases the
 * next), answers every receipt, and reports submit_sm/s and receipts/s. Receipts are on (registered_delivery 1).
 * A second client, raw and pre-encoded, shows the simulator's own ceiling when the client costs little.
 * BENCH_SMSC_MESSAGES sets the messages per run (default 100,000).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { makePdu, type SmppPdu } from '../drivers/smpp-protocol/index.ts';
import { smpp, type SmppSession } from '../simulator/smsc/smpp-server.ts';

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

/**
 * The simulator's own ceiling: a client that costs almost nothing per message. submit_sm octets come from the
 * `smpp` package's encoder once (a template whose sequence_number is patched), answers are read by header only,
 * and every receipt is answered with a prebuilt deliver_sm_resp; all writes of one read go out as one write.
 */
async function runRaw(port: number, window: number, total: number): Promise<RunResult> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  const template = makePdu('submit_sm', {
    source_addr_ton: 5,
    source_addr: 'Bench',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: '819012345678',
    registered_delivery: 1,
    data_coding: 0,
    short_message: Buffer.from('Benchmark message: the quick brown fox jumps over the lazy dog 0123456789', 'latin1'),
    sequence_number: 1,
  }).toBuffer();
  let pending: Buffer = Buffer.alloc(0);
  let sent = 0;
  let answered = 0;
  let receipts = 0;
  let errors = 0;
  let bound = false;
  let started = 0n;
  let submitsDone = 0n;
  const submits = (n: number): Buffer => {
    const count = Math.min(n, total - sent);
    const out = Buffer.allocUnsafe(template.length * count);
    for (let i = 0; i < count; i++) {
      template.copy(out, i * template.length);
      out.writeUInt32BE(++sent + 1, i * template.length + 12);
    }
    return out;
  };
  const finished = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const replies: Buffer[] = [];
      let o = 0;
      let released = 0;
      while (pending.length - o >= 16) {
        const length = pending.readUInt32BE(o);
        if (pending.length - o < length) break;
        const commandId = pending.readUInt32BE(o + 4);
        const status = pending.readUInt32BE(o + 8);
        const sequence = pending.readUInt32BE(o + 12);
        o += length;
        if (commandId === 0x80000009) {
          bound = status === 0;
          started = process.hrtime.bigint();
          released += window;
        } else if (commandId === 0x80000004) {
          answered++;
          released++;
          if (status !== 0) errors++;
          if (answered === total) submitsDone = process.hrtime.bigint();
        } else if (commandId === 0x00000005) {
          receipts++;
          const resp = Buffer.alloc(17);
          resp.writeUInt32BE(17, 0);
          resp.writeUInt32BE(0x80000005, 4);
          resp.writeUInt32BE(sequence, 12);
          replies.push(resp);
        }
      }
      pending = pending.subarray(o);
      if (released > 0 && sent < total) replies.push(submits(released));
      if (replies.length > 0) socket.write(Buffer.concat(replies));
      if (answered === total && receipts === total - errors) resolve();
    });
  });
  socket.write(makePdu('bind_transceiver', { system_id: 'test', password: 'test', sequence_number: 1 }).toBuffer());
  await finished;
  const ended = process.hrtime.bigint();
  socket.destroy();
  if (!bound) throw new Error('bind failed');
  return {
    window,
    submitsPerSecond: total / (Number(submitsDone - started) / 1e9),
    receiptsPerSecond: receipts / (Number(ended - started) / 1e9),
    receipts,
    errors,
  };
}

function report(r: RunResult, cpu: { sim?: number; client: number }): void {
  console.log(
    `window ${String(r.window).padStart(5)}: ${Math.round(r.submitsPerSecond).toLocaleString('en-US').padStart(8)} submit_sm/s, ` +
      `${Math.round(r.receiptsPerSecond).toLocaleString('en-US').padStart(8)} receipts/s (${r.receipts} receipts, ${r.errors} errors); ` +
      `CPU per message: simulator ${cpu.sim === undefined ? '?' : cpu.sim.toFixed(1)} us` +
      `${cpu.sim === undefined ? '' : ` (one core: ${Math.round(1e6 / cpu.sim).toLocaleString('en-US')} submit_sm/s with receipts)`}, ` +
      `client ${cpu.client.toFixed(1)} us`,
  );
}

async function measure(simulator: Simulator, runner: typeof run, window: number): Promise<void> {
  const cpuBefore = simulator.cpuSeconds();
  const clientBefore = process.cpuUsage();
  const r = await runner(simulator.port, window, MESSAGES);
  const cpuAfter = simulator.cpuSeconds();
  const client = process.cpuUsage(clientBefore);
  const sim = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1e6) / MESSAGES;
  report(r, { ...(sim === undefined ? {} : { sim }), client: (client.user + client.system) / MESSAGES });
}

const simulator = await startSimulator();
try {
  // A short warm-up so the JIT has compiled both sides before measuring.
  await run(simulator.port, 100, Math.min(20_000, MESSAGES));
  await fetch(`${simulator.controlUrl}/reset`, { method: 'POST' });
  console.log(`SMSC simulator sink rate: ${MESSAGES} submit_sm per run, receipts on, 1 transceiver bind`);
  console.log('bare smpp client (the package encodes and parses every PDU):');
  for (const window of WINDOWS) await measure(simulator, run, window);
  await runRaw(simulator.port, 100, Math.min(20_000, MESSAGES));
  console.log('raw pipelined client (pre-encoded submit_sm, answers read by header; the simulator\'s own ceiling):');
  for (const window of WINDOWS) await measure(simulator, runRaw, window);
  const counts = (await (await fetch(`${simulator.controlUrl}/counts`)).json()) as { acceptedParts: number; receiptsAcknowledged: number };
  console.log(`simulator counted ${counts.acceptedParts} accepted parts, ${counts.receiptsAcknowledged} receipts acknowledged`);
} finally {
  await simulator.stop();
}
