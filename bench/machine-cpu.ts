/**
 * Every process a benchmark run keeps busy, read together: the gateway or Kannel's boxes, this process (the load
 * generator, `loadGenerator`), the SMSC simulator, and Redis and the Kafka broker when the run uses them. Redis and
 * the broker are found by the TCP port they listen on, so one the run did not start is found too (its CPU then
 * includes whatever else it serves at the time).
 */
import type { ProcessCpu } from './bench-summary.ts';
import { listeningPid, ownCpuSeconds, treeCpuSeconds } from './proc-stats.ts';

export interface MachineProcesses {
  /** Processes the run started, by name: each one's CPU is its own and its descendants'. */
  readonly trees: Readonly<Record<string, number>>;
  /** Servers the run uses, by name: the TCP port each listens on. */
  readonly listening?: Readonly<Record<string, number>>;
}

/** The TCP port of a `redis://` (or `rediss://`) URL, 6379 when it names none. */
export function redisPort(url: string): number {
  const port = new URL(url).port;
  return port === '' ? 6379 : Number(port);
}

/** The port of a `host:port` broker address. */
export function brokerPort(broker: string): number {
  return Number(broker.slice(broker.lastIndexOf(':') + 1));
}

/**
 * A reading of every process's CPU seconds so far, by name; a process gone since is left out of the reading, and a
 * server no process we may look into listens for is left out of every reading (with a note on stderr).
 */
export function machineCpuReader(processes: MachineProcesses): () => ProcessCpu {
  const pids: [string, number][] = Object.entries(processes.trees);
  for (const [name, port] of Object.entries(processes.listening ?? {})) {
    const pid = listeningPid(port);
    if (pid === undefined) process.stderr.write(`bench: no process found listening on port ${port} (${name}); its CPU is left out\n`);
    else pids.push([name, pid]);
  }
  return () => {
    const reading: Record<string, number> = { loadGenerator: ownCpuSeconds() };
    for (const [name, pid] of pids) {
      try {
        reading[name] = treeCpuSeconds(pid);
      } catch {
        // Exited: nothing to read.
      }
    }
    return reading;
  };
}
