/**
 * Short links on Redis: one hash per link (`l` the link as made, JSON; `x` its expiry; `c`, `b` the human and bot
 * click counts; `f`, `z` the first and last human click), expiring at the link's retention (its expiry plus the
 * grace period in which a click answers 410). Create and click are one script each, so a code is never given
 * twice and exactly one process sees a link's first human click.
 */
import type { RedisClient } from './redis-connection.ts';
import { gatewayError } from '../../errors.ts';
import type { ClickKind, ClickResult, LinkStore, NewShortLink, ShortLink } from '../../ports/link-store.ts';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';

/** KEYS: link. ARGV: link JSON, expiresAt, retainUntil. Answers 1 when made, 0 when the code is taken. */
const CREATE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'l', ARGV[1], 'x', ARGV[2], 'c', 0, 'b', 0)
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1
`);

/**
 * KEYS: link. ARGV: kind (human | bot), at. Answers nil for an unknown code, else
 * { 'expired' | 'counted', first (0 | 1), { l, c, b, f, z } } as stored after the click.
 */
const CLICK = new RedisScript(`
local l = redis.call('HGET', KEYS[1], 'l')
if not l then return nil end
local state = 'counted'
local first = 0
if tonumber(ARGV[2]) >= tonumber(redis.call('HGET', KEYS[1], 'x')) then
  state = 'expired'
elseif ARGV[1] == 'bot' then
  redis.call('HINCRBY', KEYS[1], 'b', 1)
else
  if redis.call('HINCRBY', KEYS[1], 'c', 1) == 1 then
    redis.call('HSET', KEYS[1], 'f', ARGV[2])
    first = 1
  end
  redis.call('HSET', KEYS[1], 'z', ARGV[2])
end
return { state, first, redis.call('HMGET', KEYS[1], 'l', 'c', 'b', 'f', 'z') }
`);

type Fields = [string | null, string | null, string | null, string | null, string | null];

export class RedisLinkStore implements LinkStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async create(link: NewShortLink, retainUntil: number): Promise<boolean> {
    const made = await CREATE.run(this.redis, [this.keys.link(link.code)], [JSON.stringify(link), link.expiresAt, Math.ceil(retainUntil)]);
    return made === 1;
  }

  async get(code: string): Promise<ShortLink | undefined> {
    const fields = (await this.redis.hmget(this.keys.link(code), 'l', 'c', 'b', 'f', 'z')) as Fields;
    return fields[0] === null ? undefined : linkOf(code, fields);
  }

  async click(code: string, kind: ClickKind, at: number): Promise<ClickResult> {
    const answer = (await CLICK.run(this.redis, [this.keys.link(code)], [kind, at])) as [string, number, Fields] | null;
    if (answer === null) return { outcome: 'unknown' };
    const [state, first, fields] = answer;
    const link = linkOf(code, fields);
    return state === 'expired' ? { outcome: 'expired', link } : { outcome: 'counted', link, first: first === 1 };
  }
}

function linkOf(code: string, [made, clicks, bots, first, last]: Fields): ShortLink {
  let link: NewShortLink;
  try {
    link = JSON.parse(made ?? '') as NewShortLink;
  } catch (error: unknown) {
    throw gatewayError('GW_CORRUPT_RECORD', `short link ${code} could not be read`, { link: code }, { cause: error });
  }
  return {
    ...link,
    clicks: Number(clicks ?? 0),
    botClicks: Number(bots ?? 0),
    ...(first === null ? {} : { firstClickAt: Number(first) }),
    ...(last === null ? {} : { lastClickAt: Number(last) }),
  };
}
