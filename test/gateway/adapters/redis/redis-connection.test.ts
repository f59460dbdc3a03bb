import { describe, expect, test } from 'vitest';
import { parseRedisUrl } from '../../../../gateway/adapters/redis/redis-connection.ts';

describe('parseRedisUrl', () => {
  test.each([
    ['redis://127.0.0.1:6379', { kind: 'single', url: 'redis://127.0.0.1:6379' }],
    ['rediss://:pw@redis.example:6380/2', { kind: 'single', url: 'rediss://:pw@redis.example:6380/2' }],
    ['redis+cluster://10.0.0.1:7000', { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }], tls: false }],
    [
      'redis+cluster://10.0.0.1:7000,10.0.0.2:7001, node-c:7002/',
      { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }, { host: 'node-c', port: 7002 }], tls: false },
    ],
    ['redis+cluster://node-a', { kind: 'cluster', nodes: [{ host: 'node-a', port: 6379 }], tls: false }],
    ['REDIS+CLUSTER://[::1]:7000/0', { kind: 'cluster', nodes: [{ host: '::1', port: 7000 }], tls: false }],
    ['rediss+cluster://app:p%40ss@a:7000,b:7000', { kind: 'cluster', nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7000 }], tls: true, username: 'app', password: 'p@ss' }],
    ['redis+cluster://:secret@a:7000', { kind: 'cluster', nodes: [{ host: 'a', port: 7000 }], tls: false, password: 'secret' }],
  ])('%s', (url, target) => {
    expect(parseRedisUrl(url)).toEqual(target);
  });

  test.each([
    ['redis+cluster://', /"" is not a host:port node/],
    ['redis+cluster://a:7000,,b:7000', /"" is not a host:port node/],
    ['redis+cluster://a:7000/1', /only database 0; remove "\/1"/],
    ['redis+cluster://a:70000', /"a:70000" has no TCP port number/],
    ['redis+cluster://a:0', /"a:0" has no TCP port number/],
    ['redis+cluster://a:7000?tls=1', /"a:7000\?tls=1" is not a host:port node/],
    ['redis+cluster://u:%E0%A4%A@a:7000', /not valid percent-encoding/],
  ])('%s is refused with GW_INVALID_CONFIG naming REDIS_URL', (url, why) => {
    let caught: unknown;
    try {
      parseRedisUrl(url);
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'GW_INVALID_CONFIG', retriable: false, details: { field: 'REDIS_URL' } });
    expect((caught as Error).message).toMatch(why);
  });

  test('a refusal never repeats the password', () => {
    expect(() => parseRedisUrl('redis+cluster://app:hunter2-secret@a:7000/5', '--redis')).toThrow(expect.objectContaining({ details: { field: '--redis' } }));
    try {
      parseRedisUrl('redis+cluster://app:hunter2-secret@a:7000/5');
    } catch (error: unknown) {
      expect(JSON.stringify({ message: (error as Error).message, details: (error as { details: unknown }).details })).not.toContain('hunter2');
    }
  });
});
