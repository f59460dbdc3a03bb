/**
 * Real `smsgw serve` child processes for the tests of several gateway processes: each started with a
 * configuration file and an environment over this process's own, ready once its banner names the URL it listens
 * on. `killAll()` (in `afterAll`) SIGKILLs whatever a test left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { MessageStore } from '../../gateway/ports/message-store.ts';
import { waitFor } from './wait-for.ts';

const BIN = fileURLToPath(new URL('../../bin/smsgw.js', import.meta.url));
/** The end of a process's output kept for failure messages. */
const KEEP_OUTPUT = 64 * 1024;

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Its name in the bind leases, queue groups and the outbox lead (the default: host and pid). */
  readonly name: string;
  /** Resolves when the process has exited, whatever the cause. */
  readonly exited: Promise<void>;
  /** The end of its stdout and stderr so far. */
  output(): string;
}

export class GatewayProcesses {
  private readonly children: ChildProcess[] = [];

  /** `env` goes over this process's environment for every process started (REDIS_URL, REDIS_PREFIX, KAFKA_BROKERS). */
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  start(configPath: string, { logLevel = 'error', timeoutMs = 30_000 }: { logLevel?: string; timeoutMs?: number } = {}): Promise<GatewayProcess> {
    const child = spawn(process.execPath, [BIN, 'serve', '--config', configPath, '--log-level', logLevel], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    let output = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        output = (output + chunk.toString()).slice(-KEEP_OUTPUT);
        const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
        if (url !== undefined) {
          clearTimeout(timer);
          resolve({ child, url, name: `${hostname()}-${String(child.pid)}`, exited, output: () => output });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`gateway exited ${String(child.exitCode ?? child.signalCode)}: ${output}`));
      });
    });
  }

  /** SIGKILLs every process still running. */
  killAll(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * POSTs batch number `batch` (messages `multi-<n>` to numbers of their own) to a gateway process and notes each
 * accepted message's id under its text in `accepted`; a refused or dropped request (the process was killed) notes
 * nothing.
 */
export async function postNumberedBatch(gateway: GatewayProcess, apiKey: string, batch: number, size: number, accepted: Map<string, string>): Promise<void> {
  const messages = Array.from({ length: size }, (_, i) => {
    const n = batch * size + i;
    return { to: `+8190${String(30_000_000 + n)}`, text: `multi-${n}` };
  });
  const response = await fetch(`${gateway.url}/v1/messages/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages }),
  }).catch(() => undefined);
  if (response === undefined) return;
  const body = (await response.json().catch(() => ({ results: [] }))) as { results: { ok: boolean; message?: { id: string } }[] };
  body.results.forEach((result, i) => {
    if (result.ok && result.message !== undefined) accepted.set(`multi-${batch * size + i}`, result.message.id);
  });
}

/**
 * Waits until every accepted message (ids: the values of `accepted`) has a status `isFinal` takes, and answers each
 * one's final status; on time out, the error counts the messages still open by status and part statuses.
 */
export async function waitForFinalStatuses(
  store: Pick<MessageStore, 'get'>,
  accepted: ReadonlyMap<string, string>,
  isFinal: (status: string) => boolean,
  timeoutMs: number,
  everyMs: number,
): Promise<Map<string, string>> {
  const finals = new Map<string, string>();
  const lastSeen = new Map<string, string>();
  await waitFor(
    async () => {
      for (const id of accepted.values()) {
        if (finals.has(id)) continue;
        const record = await store.get(id);
        if (record !== undefined) lastSeen.set(id, `${record.status}/${record.parts.map((p) => p.status).join(',')}`);
        if (record !== undefined && isFinal(record.status)) finals.set(id, record.status);
      }
      return finals.size === accepted.size;
    },
    'every accepted message final',
    timeoutMs,
    everyMs,
  ).catch((error: unknown) => {
    const open = new Map<string, number>();
    for (const [id, state] of lastSeen) if (!finals.has(id)) open.set(state, (open.get(state) ?? 0) + 1);
    throw new Error(`${String(error)}: not final ${JSON.stringify([...open])}`);
  });
  return finals;
}
