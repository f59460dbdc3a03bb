/**
 * What the benchmark measures of a process from outside it, through Linux's /proc (proc(5)): CPU time
 * (/proc/<pid>/stat utime + stime, every thread of the process, in clock ticks), resident memory now and at its
 * peak (/proc/<pid>/status VmRSS, VmHWM), and the machine's load average (/proc/loadavg). The `tree*` readings
 * add up a process and all its descendants (`smsgw serve --workers N`: the primary and its N workers).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** USER_HZ: the unit of utime and stime. 100 on every Linux architecture Node runs on. */
const CLK_TCK = 100;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses): state first. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number): number {
  // stat's field 14 is utime, 15 stime (3 is the first one here).
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** The parent pid of every process, from /proc/<pid>/stat (field 4); processes gone while reading are left out. */
export function parentPids(procDir = '/proc'): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync(procDir)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`${procDir}/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Exited between the listing and the read.
    }
  }
  return parents;
}

/** `root` and its descendants, root first, parents before their children, from a pid -> parent pid map. */
export function descendants(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), pid]);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []).sort((a, b) => a - b));
  return tree;
}

/**
 * A process and its descendants. /proc/<pid>/task/<tid>/children is the cheap way, but it exists only on kernels
 * built with CONFIG_PROC_CHILDREN; without it every process's parent is read from /proc/<pid>/stat.
 */
export function processTree(root: number): number[] {
  try {
    const tree = [root];
    for (let i = 0; i < tree.length; i++) {
      const pid = tree[i] as number;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (child.trim() !== '') tree.push(Number(child));
      }
    }
    return tree;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return descendants(root, parentPids());
  }
}

/** The sum of `read` over a process tree; a process that exits between the listing and its reading adds nothing. */
function overTree(root: number, read: (pid: number) => number): number {
  let sum = 0;
  for (const pid of processTree(root)) {
    try {
      sum += read(pid);
    } catch (error) {
      if (pid === root) throw error;
    }
  }
  return sum;
}

/** CPU seconds of a process and its descendants (a worker's time is lost from it once the worker exits). */
export const treeCpuSeconds = (root: number): number => overTree(root, cpuSeconds);

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

/** RSS of a process and its descendants, MiB (shared pages of forked processes count once per process). */
export const treeRssMiB = (root: number): number => Math.round(overTree(root, (pid) => statusKiB(pid, 'VmRSS')) / 1024);

/** The sum of each process's own peak RSS, MiB: at least the tree's peak, more when the peaks came apart. */
export const treePeakRssMiB = (root: number): number => Math.round(overTree(root, (pid) => statusKiB(pid, 'VmHWM')) / 1024);

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
 * Samples RSS (`readRss`: one process's or a tree's) and `extras` every `intervalMs` until stopped. A sample whose
 * extras fail keeps its RSS; a process that is gone ends the sampling.
 */
export function sampleMemory(readRss: () => number, intervalMs: number, extras?: SampleExtras, onSample?: (sample: MemorySample) => void): { stop(): MemorySample[] } {
  const samples: MemorySample[] = [];
  const started = performance.now();
  let busy = false;
  const take = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const t = +((performance.now() - started) / 1000).toFixed(1);
      const rss = readRss();
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

/**
 * The process listening on TCP `port` (any local address, IPv4 or IPv6), from /proc/net/tcp{,6} (the socket's
 * inode, state 0A = LISTEN) and the `socket:[inode]` links under each /proc/<pid>/fd; undefined when no process
 * we may look into holds it. How the benchmark finds Redis and a Kafka broker it did not start itself.
 */
export function listeningPid(port: number, procDir = '/proc'): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`${procDir}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (local === undefined || fields[3] !== '0A') continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && fields[9] !== undefined) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const name of readdirSync(procDir)) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`${procDir}/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`${procDir}/${name}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode !== undefined && inodes.has(inode)) return Number(name);
    }
  }
  return undefined;
}

/** CPU seconds (user + system, every thread) this process has used so far, from Node itself. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
