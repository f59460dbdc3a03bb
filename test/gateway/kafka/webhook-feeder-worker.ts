/**
 * A separate process that only turns events into webhook jobs (the `webhooks` consumer group), committing its
 * offsets rarely so that a kill leaves processed records uncommitted. The consumer-crash test SIGKILLs it.
 * Configuration comes as JSON in FEEDER_CONFIG.
 */
import { createMemoryBackend, Gateway, hashApiKey, KafkaPipeline, loadRoutingFile, type KafkaSettings } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';

interface FeederConfig {
  readonly settings: KafkaSettings;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly callbackUrl: string;
  readonly secret: string;
}

const config = JSON.parse(process.env.FEEDER_CONFIG ?? '{}') as FeederConfig;
const pipeline = await KafkaPipeline.create({
  settings: config.settings,
  redisUrl: config.redisUrl,
  redisPrefix: config.prefix,
  owner: `feeder-${process.pid}`,
  roles: ['webhooks'],
  commitEveryMs: 600_000,
  sessionTimeoutMs: 6_000,
});
// Only its accounts are used: the feeder looks up each event's callback URL and secret.
const gateway = new Gateway({
  backend: createMemoryBackend(),
  router: new RouterHandle(loadRoutingFile(undefined)),
  drivers: [],
  accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', callbackUrl: config.callbackUrl, callbackSecret: config.secret }],
  events: pipeline.events,
});
await pipeline.startConsumers(gateway);
process.stdout.write('feeder ready\n');
