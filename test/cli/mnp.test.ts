import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'smsgw-mnp-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('smsgw mnp import without Redis (validation only)', () => {
  test('a clean file: summary on stdout, exit 0', () => {
    const file = join(dir, 'ok.csv');
    writeFileSync(file, 'number,carrier\n+819011112222,rakuten\n090-1234-5678,au,2024-04-01\n');
    const result = runCli(['mnp', 'import', file, '--country', 'JP'], undefined);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^imported 2 of 2 rows \(0 bad\) from .*ok\.csv into memory \(validation only, nothing persisted\)/);
  });

  test('bad rows: each on stderr with its line, the good ones counted, then exit 1', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, '+819011112222,rakuten\nnope,au\n+819011112223,Not An Id\n+819011112224,docomo\n');
    const result = runCli(['mnp', 'import', file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/imported 2 of 4 rows \(2 bad\)/);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/bad\.csv:2: number "nope"/);
    expect(lines[1]).toMatch(/bad\.csv:3: carrier "Not An Id"/);
    expect(lines.at(-1)).toMatch(/^smsgw: ROUTE_PORTING_ROW_INVALID: .*2 bad row\(s\)/);
  });

  test('a missing file is one error line', () => {
    const result = runCli(['mnp', 'import', join(dir, 'missing.csv')]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('get without Redis asks for it', () => {
    const result = runCli(['mnp', 'get', '+819011112222']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ROUTE_INVALID_OPTION: .*--redis/);
  });

  test('a number invalid for its country and an unknown carrier are bad rows, named with their line', () => {
    const file = join(dir, 'invalid.csv');
    writeFileSync(file, '+81901234,docomo\n+819012345678,notacarrier\n+819012345679,rakuten\n');
    const result = runCli(['mnp', 'import', file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/imported 1 of 3 rows \(2 bad\)/);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/invalid\.csv:1: number "\+81901234": .*too short/);
    expect(lines[1]).toMatch(/invalid\.csv:2: carrier "notacarrier" is not a known carrier/);
    expect(lines.at(-1)).toMatch(/^smsgw: ROUTE_PORTING_ROW_INVALID: /);
  });

  test('--config: the carriers a configuration names are known too', () => {
    const file = join(dir, 'mvno.csv');
    writeFileSync(file, '+819012345678,my-mvno\n');
    expect(runCli(['mnp', 'import', file]).status).toBe(1);
    const config = join(dir, 'mvno.yaml');
    writeFileSync(config, 'carriers: { names: { my-mvno: My MVNO } }\nroutes: { main: { strategy: failover, connectors: [{ id: smsc }] } }\nrules: [{ name: default, route: main }]\n');
    const result = runCli(['mnp', 'import', file, '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('smsgw mnp set refuses a bad port before reaching Redis', () => {
  test.each([
    ['a number too short for its country', ['+81901234', 'au'], /ROUTE_PORTING_ROW_INVALID: .*number "\+81901234": .*too short/],
    ['an unknown carrier', ['+819012345678', 'notacarrier'], /ROUTE_PORTING_ROW_INVALID: .*carrier "notacarrier" is not a known carrier/],
    ['a national number without --country', ['090-1234-5678', 'au'], /ROUTE_PORTING_ROW_INVALID: .*national; give a default country/],
  ])('%s: one coded line, exit 1', (_label, args, message) => {
    const result = runCli(['mnp', 'set', ...args, '--redis', 'redis://127.0.0.1:1']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
