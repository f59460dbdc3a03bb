/**
 * Where the Redis adapters connect: one Redis (`redis://` or `rediss://`, as ioredis reads them) or a Redis
 * Cluster (`redis+cluster://` or `rediss+cluster://`, a comma-separated list of seed nodes). The adapters take
 * either client; redis-keys.ts gives the keys that are used together one hash tag, so the same code runs on both.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { gatewayError } from '../../errors.ts';

/** A client of one Redis or of a Redis Cluster. */
export type RedisClient = Redis | Cluster;

export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'cluster';
      /** Seed nodes: the client learns the others (and which master holds which slot) from any one of them. */
      readonly nodes: readonly ClusterNode[];
      readonly username?: string;
      readonly password?: string;
      readonly tls: boolean;
    };

const CLUSTER_SCHEMES: Readonly<Record<string, boolean>> = { 'redis+cluster:': false, 'rediss+cluster:': true };
const DEFAULT_PORT = 6379;

/**
 * Reads a Redis URL. `redis+cluster://[user[:password]@]host:port[,host:port...][/]` (or `rediss+cluster://`
 * for TLS) names a cluster by some of its nodes; a cluster has only database 0, so a path other than `/` or
 * `/0` is refused. Anything else is left to ioredis, as a single Redis. A refusal is GW_INVALID_CONFIG naming
 * `setting`; its text never repeats a password.
 */
export function parseRedisUrl(url: string, setting = 'REDIS_URL'): RedisTarget {
  const schemeEnd = url.indexOf('//');
  const scheme = schemeEnd < 0 ? '' : url.slice(0, schemeEnd).toLowerCase();
  const tls = CLUSTER_SCHEMES[scheme];
  if (tls === undefined) return { kind: 'single', url };
  const refuse = (why: string) => gatewayError('GW_INVALID_CONFIG', `${setting}: ${why}`, { field: setting });
  let rest = url.slice(schemeEnd + 2);
  const at = rest.lastIndexOf('@');
  let username: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const userInfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userInfo.indexOf(':');
    try {
      username = decodeURIComponent(colon < 0 ? userInfo : userInfo.slice(0, colon));
      password = colon < 0 ? undefined : decodeURIComponent(userInfo.slice(colon + 1));
    } catch {
      throw refuse('the user name or password of the cluster URL is not valid percent-encoding');
    }
  }
  const slash = rest.indexOf('/');
  const path = slash < 0 ? '' : rest.slice(slash);
  if (path !== '' && path !== '/' && path !== '/0') throw refuse(`a Redis Cluster has only database 0; remove "${path}" from the cluster URL`);
  const hosts = (slash < 0 ? rest : rest.slice(0, slash)).split(',');
  const nodes = hosts.map((entry) => clusterNode(entry.trim(), refuse));
  return {
    kind: 'cluster',
    nodes,
    tls,
    ...(username === undefined || username === '' ? {} : { username }),
    ...(password === undefined || password === '' ? {} : { password }),
  };
}

function clusterNode(entry: string, refuse: (why: string) => Error): ClusterNode {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::(\d+))?$/.exec(entry);
  if (match === null) throw refuse(`"${entry}" is not a host:port node of the cluster URL`);
  const host = (match[1] as string).replace(/^\[(.*)\]$/, '$1');
  const port = match[2] === undefined ? DEFAULT_PORT : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw refuse(`"${entry}" has no TCP port number (1-65535)`);
  return { host, port };
}

/**
 * A client for `target` (a URL, read by parseRedisUrl, or a target already read). On a cluster the options are
 * each node's, but for auto-pipelining (which batches per master), lazy connecting and the retry strategy
 * (which become the cluster's); reads go to the masters (the replicas may lag).
 */
export function connectRedis(target: string | RedisTarget, options: RedisOptions = {}): RedisClient {
  const parsed = typeof target === 'string' ? parseRedisUrl(target) : target;
  if (parsed.kind === 'single') return new Redis(parsed.url, options);
  const { enableAutoPipelining, lazyConnect, retryStrategy, enableOfflineQueue: _queue, readOnly: _readOnly, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    // A one-shot command line gives up as a single client does; a server reconnects for as long as it runs.
    ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
    redisOptions: {
      ...perNode,
      ...(parsed.username === undefined ? {} : { username: parsed.username }),
      ...(parsed.password === undefined ? {} : { password: parsed.password }),
      ...(parsed.tls ? { tls: {} } : {}),
    },
  };
  return new Cluster(parsed.nodes.map((node) => ({ host: node.host, port: node.port })), clusterOptions);
}
