/**
 * An auto-pipelined client (as redis-backend.ts opens them) on fresh key prefixes, with a record of the commands it
 * sends while a call runs: for tests that check how many commands a store call takes, counted at the client. Made
 * once per test file, at its top level: the file's `afterAll` deletes the keys and closes the clients.
 */
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { redisTestKeys, type RedisTestKeys } from './redis-test-keys.ts';
import { REDIS_URL } from './test-backends.ts';

export interface CommandCountingRedis {
  readonly client: Redis;
  readonly keys: RedisTestKeys;
  /** `run`'s result and the names (lower case) of the commands the client sent meanwhile, in order. */
  readonly commandsOf: <T>(this: void, run: () => Promise<T>) => Promise<{ result: T; sent: string[] }>;
}

export function commandCountingRedis(): CommandCountingRedis {
  const keys = redisTestKeys();
  const client = new Redis(REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 3 });
  afterAll(async () => {
    client.disconnect();
    await keys.cleanup();
  });
  return {
    client,
    keys,
    async commandsOf<T>(run: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
      const sent: string[] = [];
      const send = client.sendCommand.bind(client);
      client.sendCommand = (...args) => {
        sent.push(args[0].name.toLowerCase());
        return send(...args);
      };
      try {
        return { result: await run(), sent };
      } finally {
        // The method lives on the prototype: dropping the own property restores it.
        Reflect.deleteProperty(client, 'sendCommand');
      }
    },
  };
}
