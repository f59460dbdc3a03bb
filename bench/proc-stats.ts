/**
 * What the benchmark measures of a process from outside it, through Linux's /proc (proc(5)): CPU time
 * (/proc/<pid>/stat utime + stime, every thread of the process, in clock ticks), resident memory now and at its
 * peak (/proc/<pid>/status VmRSS, VmHWM), and the machine's load average (/proc/loadavg).
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime and stime. 100 on every Linux architecture Node runs on. */
const CLK_TCK = 100;

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kib = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kib === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(kib);
}

export const mib = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/** Resident set size now, MiB. */
export function rssMiB(pid: number): number {
  return Math.round(statusKiB(pid, 'VmRSS') / 1024);
}

/** The highest RSS the process has had, MiB. */
export function peakRssMiB(pid: number): number {
  return Math.round(statusKiB(pid, 'VmHWM') / 1024);
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a ?? 0, b ?? 0, c ?? 0];
}

export interface MemorySample {
  /** Seconds since the sampler started. */
  readonly t: number;
  readonly rssMiB: number;
  /** V8's used heap, MiB, when the process reports it. */
  readonly heapUsedMiB?: number;
  /** Messages delivered so far, when known. */
  readonly delivered?: number;
}

/** Extra figures a sample takes from the process itself (the gateway's /metrics). */
export type SampleExtras = () => Promise<{ readonly heapUsedMiB?: number; readonly delivered?: number }>;

/**
 * Samples a process's RSS (and `extras`) every `intervalMs` until stopped. A sample whose extras fail keeps its
 * RSS; a process that is gone ends the sampling.
 */
export function sampleMemory(pid: number, intervalMs: number, extras?: SampleExtras, onSample?: (sample: MemorySample) => void): { stop(): MemorySample[] } {
  const samples: MemorySample[] = [];
  const started = performance.now();
  let busy = false;
  const take = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const t = +((performance.now() - started) / 1000).toFixed(1);
      const rss = rssMiB(pid);
      const more = extras === undefined ? {} : await extras().catch(() => ({}));
      const sample: MemorySample = { t, rssMiB: rss, ...more };
      samples.push(sample);
      onSample?.(sample);
    } catch {
      clearInterval(timer);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void take(), intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}
