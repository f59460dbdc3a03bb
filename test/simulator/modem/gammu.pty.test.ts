import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { startVirtualModem, type VirtualModemHandle, type VirtualModemOptions } from '../../../simulator/index.ts';

// gammu, a widely used third-party AT client, drives the virtual modem as it would a USB modem (PDU mode).
// gammu paces itself (about 400 ms after each command), so the cases run concurrently, each on its own modem.
const run = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  // Last in, first out: each modem closes before its directory goes.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  readonly modem: VirtualModemHandle;
  readonly gammu: (...args: string[]) => Promise<string>;
}

async function rig(options: Omit<VirtualModemOptions, 'path'>): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'vmodem-gammu-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const modem = await startVirtualModem({ ...options, path: join(dir, 'modem0') });
  cleanups.push(() => modem.close());
  const rc = join(dir, 'gammurc');
  await writeFile(rc, `[gammu]\ndevice = ${modem.path}\nconnection = at115200\nlogfile = ${join(dir, 'gammu.log')}\nlogformat = textall\n`);
  return {
    modem,
    gammu: async (...args) => (await run('gammu', ['-c', rc, ...args], { timeout: 60_000, encoding: 'utf8' })).stdout,
  };
}

describe.concurrent('gammu against the virtual modem', () => {
  test.each([
    ['generic', 'Generic', 'Virtual GSM Modem'],
    ['huawei-e3372', 'Huawei', 'E3372'],
    ['quectel-ec25', 'Quectel', 'EC25'],
    ['simcom-sim7600', 'SIMCOM INCORPORATED', 'SIMCOM_SIM7600G-H'],
  ])('identify: %s', async (profile, manufacturer, model) => {
    const { gammu } = await rig({ profile, imei: '356938035643809', imsi: '440201234567890' });
    const out = await gammu('identify');
    expect(out).toMatch(new RegExp(`Manufacturer\\s+: ${manufacturer}\\n`));
    expect(out).toContain(model);
    expect(out).toMatch(/IMEI\s+: 356938035643809\n/);
    expect(out).toMatch(/SIM IMSI\s+: 440201234567890\n/);
  });

  test.each([
    ['a single GSM part', ['-text', 'Hello from gammu @ £5 {ok}'], 'Hello from gammu @ £5 {ok}', 1],
    ['three GSM parts (-len 400)', ['-len', '400', '-text', 'Long message from gammu. '.repeat(16)], 'Long message from gammu. '.repeat(16), 3],
    ['two UCS-2 parts (-unicode -autolen)', ['-unicode', '-autolen', '200', '-text', '日本語のテキストです。'.repeat(10)], '日本語のテキストです。'.repeat(10), 2],
  ])('sendsms: %s arrives exactly', async (_name, args, text, parts) => {
    const { modem, gammu } = await rig({ carrier: 'kddi' });
    const out = await gammu('sendsms', 'TEXT', '+819012345678', ...args);
    expect(out.match(/OK, message reference=\d+/g)).toHaveLength(parts);
    expect(modem.transmitted()).toMatchObject([{ to: '+819012345678', text, complete: true, total: parts }]);
    expect(modem.transmittedParts().every((part) => part.mode === 'pdu')).toBe(true);
  });

  test('getallsms reads injected messages (STOP and a two-part UCS-2) with AT+CMGL', async () => {
    const { modem, gammu } = await rig({ profile: 'quectel-ec25' });
    const long = '本日は晴天なり。'.repeat(12);
    modem.injectInbound({ from: '+819011112222', text: 'STOP' });
    modem.injectInbound({ from: '+819011112222', text: long });
    const out = await gammu('getallsms');
    expect(out).toMatch(/3 SMS parts in 3 SMS sequences/);
    const bodies = out.split(/\nLocation \d+, /).map((entry) => entry.split('\n\n')[1]?.trim() ?? '');
    expect(bodies).toContain('STOP');
    expect(out.match(/Remote number\s+: "\+819011112222"/g)).toHaveLength(3);
    const parts = [...out.matchAll(/part (\d) of 2\n\n([^\n]+)/g)].sort((a, b) => Number(a[1]) - Number(b[1]));
    expect(parts.map((match) => match[2]).join('')).toBe(long);
  });
});
