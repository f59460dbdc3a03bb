/**
 * The README's first command: `smsgw serve` on its embedded defaults, driven as a newcomer would with HTTP,
 * then stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { spawnServe } from './run-cli.ts';

const BIN = fileURLToPath(new URL('../../bin/smsgw.js', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

test('a Japanese message sent to the embedded gateway is delivered, and SIGTERM stops it cleanly', async () => {
  const serve = spawnServe({ REDIS_URL: undefined });
  child = serve.child;
  const { url, apiKey } = await serve.ready;
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const sent = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ to: '090-1234-5678', text: '明日10時にお届けします。' }) });
  expect(sent.status).toBe(202);
  const { id } = (await sent.json()) as { id: string };
  let status = '';
  for (let i = 0; i < 200 && status !== 'delivered'; i += 1) {
    const got = (await (await fetch(`${url}/v1/messages/${id}`, { headers })).json()) as { status: string };
    status = got.status;
    if (status !== 'delivered') await new Promise((r) => setTimeout(r, 50));
  }
  expect(status).toBe('delivered');
  const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
  child?.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 60_000);

test('HOST and PORT replace the configuration file’s server section; a bad PORT is refused by name', async () => {
  const example = fileURLToPath(new URL('../../config/gateway.example.yaml', import.meta.url));
  const run = (port: string): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const process_ = spawn(process.execPath, [BIN, 'serve', '--config', example, '--log-level', 'warn'], {
        env: { ...process.env, HOST: '127.0.0.1', PORT: port, REDIS_URL: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = process_;
      let output = '';
      let stopping = false;
      const collect = (chunk: Buffer): void => {
        output += chunk.toString();
        // Once: a second SIGTERM during the graceful stop means "quit now".
        if (!stopping && /listening on/.test(output)) {
          stopping = true;
          process_.kill('SIGTERM');
        }
      };
      process_.stdout.on('data', collect);
      process_.stderr.on('data', collect);
      process_.on('exit', (code) => resolve({ code, output }));
    });
  const served = await run('0');
  expect(served.output).toMatch(/listening on http:\/\/127\.0\.0\.1:(?!3000\b)\d+/);
  expect(served.code).toBe(0);
  const refused = await run('abc');
  expect(refused.code).not.toBe(0);
  expect(refused.output).toContain('CLI_INVALID_OPTION');
  expect(refused.output).toContain('PORT');
}, 60_000);
