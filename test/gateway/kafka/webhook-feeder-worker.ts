/**
 * A separate process that only turns events into webhook jobs (the `webhooks` role), committing its offsets
 * rarely so that a kill leaves processed records uncommitted. The consumer-crash test SIGKILLs it.
 * Configuration comes as JSON in FEEDER_CONFIG.
 */
import { createRedisBackend, Gateway, hashApiKey, KafkaEventTransport, loadRoutingFile, type KafkaSettings } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';

interface FeederConfig {
  readonly settings: KafkaSettings;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly callbackUrl: string;
  readonly secret: string;
}

const config = JSON.parse(process.env.FEEDER_CONFIG ?? '{}') as FeederConfig;
// The jobs go to the webhook queue on the shared Redis, where the test process's sender posts them.
const backend = createRedisBackend({ url: config.redisUrl, prefix: config.prefix });
const events = await KafkaEventTransport.create({
  settings: config.settings,
  outbox: backend.outbox,
  owner: `feeder-${process.pid}`,
  commitEveryMs: 600_000,
  sessionTimeoutMs: 6_000,
});
// Only its accounts are used: the feeder looks up each event's callback URL and secret.
const gateway = new Gateway({
  backend,
  router: new RouterHandle(loadRoutingFile(undefined)),
  drivers: [],
  accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', callbackUrl: config.callbackUrl, callbackSecret: config.secret }],
  events,
  roles: ['webhooks'],
});
await gateway.start();
process.stdout.write('feeder ready\n');
