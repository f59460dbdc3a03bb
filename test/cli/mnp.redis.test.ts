import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { redisKeys } from '../../gateway/index.ts';
import { runCli } from './run-cli.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-cli-mnp-${randomBytes(4).toString('hex')}:`;
const dir = mkdtempSync(join(tmpdir(), 'smsgw-mnp-redis-'));

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const redis = new Redis(REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match: redisKeys(prefix).allPattern, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
});

const redisArgs = ['--redis', REDIS_URL, '--prefix', prefix];

describe('smsgw mnp against Redis', () => {
  test('import stores the good rows despite bad ones, reports each bad line, exits 1; route then sees the ports', () => {
    const file = join(dir, 'ports.csv');
    const good = Array.from({ length: 1200 }, (_, i) => `+8190${String(1000_0000 + i)},${i % 2 === 0 ? 'rakuten' : 'softbank'}`);
    const rows = ['number,carrier,effective_date', ...good.slice(0, 600), '+81901,au', 'x,y,z,w', ...good.slice(600), '+819011112222,au,2099-01-01'];
    writeFileSync(file, `${rows.join('\n')}\n`);
    const result = runCli(['mnp', 'import', file, ...redisArgs, '--batch', '500']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/imported 1201 of 1203 rows \(2 bad\)/);
    const errors = result.stderr.trim().split('\n');
    expect(errors[0]).toMatch(/ports\.csv:602: number "\+81901"/);
    expect(errors[1]).toMatch(/ports\.csv:603: expected 2 or 3 fields, got 4/);
    expect(errors.at(-1)).toMatch(/ROUTE_PORTING_ROW_INVALID/);

    const get = runCli(['mnp', 'get', '+819010000001', ...redisArgs]);
    expect(JSON.parse(get.stdout)).toEqual({ e164: '+819010000001', carrier: 'softbank' });

    const ported = runCli(['route', '--to', '090-1000-0000', ...redisArgs]);
    expect(JSON.parse(ported.stdout)).toMatchObject({ carrier: { carrier: 'rakuten', source: 'mnp' } });
    // A port with a future effective date is stored but not yet in force.
    const future = runCli(['route', '--to', '090-1111-2222', ...redisArgs]);
    expect(JSON.parse(future.stdout)).toMatchObject({ carrier: { carrier: 'docomo', source: 'ranges' } });
  }, 120_000);

  test('set, get and delete one number', () => {
    expect(JSON.parse(runCli(['mnp', 'set', '+818012345678', 'au', '2024-01-01', ...redisArgs]).stdout)).toEqual({ e164: '+818012345678', carrier: 'au', effectiveDate: '2024-01-01' });
    expect(JSON.parse(runCli(['mnp', 'delete', '+818012345678', ...redisArgs]).stdout)).toEqual({ deleted: true });
    expect(JSON.parse(runCli(['mnp', 'get', '+818012345678', ...redisArgs]).stdout)).toBeNull();
  }, 90_000);

  test('a Redis that does not answer: one error line, exit 1', () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, '+819011112222,au\n');
    const result = runCli(['mnp', 'import', file, '--redis', 'redis://127.0.0.1:1', '--prefix', prefix]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ROUTE_PORTING_UNAVAILABLE/);
  });
});
