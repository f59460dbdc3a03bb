import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.ts';

const BIN = fileURLToPath(new URL('../../bin/smsgw.js', import.meta.url));

interface Running {
  readonly line: string;
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }>;
}

/** Starts `smsgw simulate smsc ...` and resolves with its ready line. */
function startCli(args: readonly string[]): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'simulate', 'smsc', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('no ready line'));
    }, 20_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve({
        line,
        stop: async (signal) => {
          child.kill(signal);
          return { code: await exited, stderr };
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${stderr}`));
    });
  });
}

describe('smsgw simulate smsc', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('prints one ready line with the ports, serves, and exits 0 on %s', async (signal) => {
    const running = await startCli(['--port', '0', '--control-port', '0', '--scenario', 'throttled']);
    const match = /^smsc simulator ready smpp=127\.0\.0\.1:(\d+) control=(http:\/\/127\.0\.0\.1:\d+)$/.exec(running.line);
    expect(match).not.toBeNull();
    const control = match?.[2] ?? '';
    const behaviour = (await (await fetch(`${control}/behaviour`)).json()) as { throttle: { tps: number } };
    expect(behaviour.throttle.tps).toBe(10);
    const carriers = (await (await fetch(`${control}/carriers`)).json()) as { carriers: { smppPort: number }[] };
    expect(carriers.carriers[0]?.smppPort).toBe(Number(match?.[1]));
    const { code, stderr } = await running.stop(signal);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  test('--carriers starts one SMPP port per carrier behind one control port', async () => {
    const running = await startCli(['--carriers', 'docomo,au']);
    const ports = [...running.line.matchAll(/smpp\.(\w+)=127\.0\.0\.1:(\d+)/g)].map((m) => [m[1], Number(m[2])]);
    expect(ports.map((p) => p[0])).toEqual(['docomo', 'au']);
    expect(new Set(ports.map((p) => p[1])).size).toBe(2);
    const control = /control=(\S+)/.exec(running.line)?.[1] ?? '';
    const response = await fetch(`${control}/carriers/au/counts`);
    expect(response.status).toBe(200);
    expect((await running.stop('SIGTERM')).code).toBe(0);
  });

  test('a config file sets accounts and behaviour per carrier', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'smsc-cli-'));
    try {
      const file = join(dir, 'smsc.yaml');
      await writeFile(file, 'carriers:\n  - name: softbank\n    behaviour: { dropEveryPdus: 7 }\n    accounts: [{ systemId: gw, password: pw }]\n');
      const running = await startCli(['--config', file]);
      expect(running.line).toMatch(/smpp=127\.0\.0\.1:\d+/);
      const control = /control=(\S+)/.exec(running.line)?.[1] ?? '';
      const behaviour = (await (await fetch(`${control}/carriers/softbank/behaviour`)).json()) as { dropEveryPdus: number };
      expect(behaviour.dropEveryPdus).toBe(7);
      expect((await running.stop('SIGTERM')).code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [['--scenario', 'nope'], 'SIM_UNKNOWN_SCENARIO'],
    [['--port', 'eighty'], '--port'],
    [['--control-port', '70000'], '--control-port'],
    [['--config', '/nonexistent/smsc.yaml'], 'SIM_CONFIG_FILE'],
    [['--carriers', 'ok,no way'], '--carriers'],
  ])('%j exits 1 with one line naming the problem', (args, text) => {
    const result = runCli(['simulate', 'smsc', ...args]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(text);
  });

  test('simulate lists the smsc subcommand', () => {
    const result = runCli(['simulate', '--help']);
    expect(result.stdout).toContain('smsc');
  });
});
