import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/smsgw.js', import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the installed `smsgw` entry point as a user would. */
export function runCli(args: readonly string[], input?: string): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface ServeProcess {
  readonly child: ChildProcess;
  /** Resolves once the banner gave the URL and the demo API key; rejects if the process exits first. */
  readonly ready: Promise<{ url: string; apiKey: string; banner: string }>;
  readonly exited: Promise<{ code: number | null; output: string }>;
  /** stdout and stderr so far. */
  output(): string;
}

/** Starts `smsgw serve` on its embedded defaults with `env` over this process's environment; `args` follow `serve --log-level warn`. */
export function spawnServe(env: NodeJS.ProcessEnv, timeoutMs = 45_000, args: readonly string[] = []): ServeProcess {
  const child = spawn(process.execPath, [BIN, 'serve', '--log-level', 'warn', ...args], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  const ready = new Promise<{ url: string; apiKey: string; banner: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const apiKey = /API key: (\S+)/.exec(output)?.[1];
      if (url !== undefined && apiKey !== undefined) {
        clearTimeout(timer);
        resolve({ url, apiKey, banner: output });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${String(code)}: ${output}`));
    });
  });
  // A caller that expects a refusal never awaits `ready`.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => output };
}
