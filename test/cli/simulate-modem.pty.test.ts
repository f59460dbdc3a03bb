import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AtClient } from '../simulator/modem/at-client.ts';
import type { CliResult } from './run-cli.ts';

const BIN = fileURLToPath(new URL('../../bin/smsgw.js', import.meta.url));
let dir: string;
const children: ChildProcess[] = [];
const clients: AtClient[] = [];

/** Starts `smsgw simulate modem ...` and resolves with its one ready line. */
async function startCli(args: readonly string[]): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [BIN, 'simulate', 'modem', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${stdout} ${stderr}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(stdout.split('\n')[0] ?? '');
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${stderr}`));
    });
  });
  return { child, line };
}

/** Like runCli, without blocking the event loop, so several can run at once. */
function runCliAsync(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('smsgw simulate modem', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmodem-cli-'));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  test('prints one ready line, answers AT on the link, serves the control API, and removes the link on SIGTERM', async () => {
    const link = join(dir, 'modem0');
    const { child, line } = await startCli(['--link', link, '--carrier', 'rakuten', '--imei', '356938035643809', '--control-port', '0']);
    expect(line).toMatch(new RegExp(`^modem simulator ready path=${link} imei=356938035643809 carrier=rakuten .* control=http://127\\.0\\.0\\.1:\\d+$`));
    const client = await AtClient.open(link);
    clients.push(client);
    expect(await client.command('ATE0;+CGSN;+COPS?')).toContain('\r\n356938035643809\r\n\r\n+COPS: 0,0,"Rakuten",7\r\n\r\nOK\r\n');
    const control = /control=(\S+)/.exec(line)?.[1];
    const status = (await (await fetch(`${control}/status`)).json()) as { plugged: boolean; identity: { imei: string } };
    expect(status).toMatchObject({ plugged: true, identity: { imei: '356938035643809' } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await exists(link)).toBe(false);
  });

  test('a YAML config gives the scenario, identity and inbound messages; flags win over it', async () => {
    const link = join(dir, 'modem1');
    const config = join(dir, 'modem.yaml');
    await writeFile(
      config,
      [
        `link: ${join(dir, 'ignored')}`,
        'profile: huawei-e3372',
        'carrier: softbank',
        'scenario: pin-required',
        'behaviour: { pin: "4321" }',
        'inbound:',
        '  - { from: "+819011112222", text: "STOP", delayMs: 0 }',
      ].join('\n'),
    );
    await startCli(['--config', config, '--link', link]);
    const client = await AtClient.open(link);
    clients.push(client);
    expect(await client.command('ATE0;+CMEE=1;+CGMM;+CPIN?')).toBe('ATE0;+CMEE=1;+CGMM;+CPIN?\r\r\nE3372\r\n\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n');
    expect(await client.command('AT+CPIN="4321"')).toBe('\r\nOK\r\n');
    // The STOP waited in the network while the SIM was locked; the Huawei profile stores it without an indication.
    await client.command('AT+CPMS="SM"');
    expect(await client.command('AT+CMGL=4')).toMatch(/\+CMGL: 0,0,,\d+\r\n[0-9A-F]+\r\n\r\nOK\r\n$/);
  });

});

// Each start of the CLI costs seconds of TypeScript loading, so the quick refusals run side by side.
describe.concurrent('smsgw simulate modem refuses bad input', () => {
  test.each([
    [['--link', '/tmp/x', '--carrier', 'nope'], 'MODEMSIM_INVALID_OPTION'],
    [['--link', '/tmp/x', '--scenario', 'nope'], 'MODEMSIM_UNKNOWN_SCENARIO'],
    [['--carrier', 'kddi'], 'MODEMSIM_INVALID_OPTION'],
    [['--config', '/nonexistent/modem.yaml'], 'MODEMSIM_CONFIG_FILE'],
  ])('bad input %j exits 1 with one line naming %s', async (args, code) => {
    const result = await runCliAsync(['simulate', 'modem', ...args]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(code);
  });

  test('simulate lists the modem subcommand', async () => {
    const result = await runCliAsync(['simulate', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('modem');
  });
});
