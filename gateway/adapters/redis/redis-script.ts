import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connection.ts';

/**
 * A Lua script run by its SHA (EVALSHA), so the script text crosses the wire only when a server does not know it
 * yet: on first use, after a restart or SCRIPT FLUSH, and on a Redis Cluster once per master. Such a server answers
 * NOSCRIPT, and the same call is sent again as EVAL, which runs the script and caches it there (a NOSCRIPT call
 * ran nothing, so nothing happens twice). Each call goes to the node of its keys' slot, alike on one Redis and on
 * a Cluster, where a SCRIPT LOAD would have reached only one master.
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error: unknown) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
