import type { Redis } from 'ioredis';

/**
 * A Lua script run by its SHA (EVALSHA), loaded on first use and again after the server forgets it
 * (a restart or SCRIPT FLUSH answers NOSCRIPT), so the script text crosses the wire once.
 */
export class RedisScript {
  private sha: string | undefined;

  constructor(private readonly source: string) {}

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    if (this.sha === undefined) this.sha = (await redis.script('LOAD', this.source)) as string;
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error: unknown) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      this.sha = (await redis.script('LOAD', this.source)) as string;
      return redis.evalsha(this.sha, keys.length, ...keys, ...args);
    }
  }
}
