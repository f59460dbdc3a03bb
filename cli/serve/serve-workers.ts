/**
 * `smsgw serve --workers N`: the primary process of N gateway processes on one machine (node:cluster). Each worker
 * runs the whole gateway (HTTP API, dispatch, consumers) on the shared Redis (and Kafka); the listening port is
 * shared, the primary hands connections out round-robin. Bind slots are split between the workers by their leases
 * in Redis (README: "Several processes").
 * - A worker that exits without being asked (a crash, SIGKILL, an out-of-memory abort) is started again after a
 *   pause that doubles from 1 s up to 30 s while workers keep crashing, and falls back to 1 s once a worker has
 *   lived for a minute.
 * - SIGTERM or SIGINT: no more restarts; each worker gets SIGTERM and stops cleanly (finishes its in-flight
 *   submits, unbinds, gives up its bind leases); after `graceMs` the ones still running get SIGKILL.
 */
import cluster, { type Worker } from 'node:cluster';
import { untilStopSignal } from '../until-stop-signal.ts';

export interface WorkersOptions {
  readonly count: number;
  /** How long the workers get to stop cleanly after SIGTERM (default 60 s). */
  readonly graceMs?: number;
  readonly write?: (line: string) => void;
}

const FIRST_RESTART_MS = 1_000;
const MAX_RESTART_MS = 30_000;
const STABLE_MS = 60_000;

/** Runs in the primary until a stop signal, then until every worker has exited. */
export async function runWorkers(options: WorkersOptions): Promise<void> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const startedAt = new Map<Worker, number>();
  let stopping = false;
  let restartDelay = FIRST_RESTART_MS;
  const restarts = new Set<NodeJS.Timeout>();
  const fork = (index: number): void => {
    const worker = cluster.fork({ SMSGW_WORKER: String(index) });
    startedAt.set(worker, Date.now());
    worker.on('exit', (code, signal) => {
      const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
      startedAt.delete(worker);
      if (stopping) return;
      if (lived >= STABLE_MS) restartDelay = FIRST_RESTART_MS;
      write(`smsgw worker ${index} (pid ${String(worker.process.pid)}) exited (${signal ?? `code ${String(code)}`}); starting it again in ${restartDelay} ms`);
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (!stopping) fork(index);
      }, restartDelay);
      restarts.add(timer);
      restartDelay = Math.min(MAX_RESTART_MS, restartDelay * 2);
    });
  };
  const stopped = untilStopSignal();
  write(`smsgw primary (pid ${process.pid}): ${options.count} workers`);
  for (let index = 1; index <= options.count; index++) fork(index);
  await stopped;
  stopping = true;
  for (const timer of restarts) clearTimeout(timer);
  write('smsgw stopping: each worker finishes its in-flight submits');
  const running = [...startedAt.keys()];
  const exited = Promise.all(running.map((worker) => (worker.isDead() ? Promise.resolve() : new Promise<void>((resolve) => worker.once('exit', () => resolve())))));
  for (const worker of running) worker.process.kill('SIGTERM');
  const grace = setTimeout(() => {
    for (const worker of running) if (!worker.isDead()) worker.process.kill('SIGKILL');
  }, options.graceMs ?? 60_000);
  await exited;
  clearTimeout(grace);
}
