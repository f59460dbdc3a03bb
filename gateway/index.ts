/**
 * The gateway core: ports and their adapters. This index grows with the gateway; so far it exposes the
 * router's adapters: number portability on Redis, routing files and portability imports, the HLR HTTP client.
 */
export { RedisPortingSource } from './adapters/redis/redis-porting-source.ts';
export type { RedisPortingSourceOptions } from './adapters/redis/redis-porting-source.ts';
export { redisKeys, DEFAULT_KEY_PREFIX } from './adapters/redis/redis-keys.ts';
export type { RedisKeys } from './adapters/redis/redis-keys.ts';
export { loadRoutingFile, reloadRoutingFile, readBuiltinRanges } from './adapters/file/routing-files.ts';
export type { LoadRoutingOptions } from './adapters/file/routing-files.ts';
export { importPortingCsv } from './adapters/file/porting-csv-import.ts';
export type { PortingImportOptions, PortingImportSummary } from './adapters/file/porting-csv-import.ts';
export { loadPortingFile, portingFileOf, PortingFileError } from './adapters/file/porting-file.ts';
export type { BadPortingRow, LoadedPortingFile, PortingFileOptions } from './adapters/file/porting-file.ts';
export { undiciHlrFetcher, createHlrHook } from './adapters/http/undici-hlr-fetcher.ts';

// Messages: status model, records, ports, and their memory and Redis adapters.
export * from './messages/message-status.ts';
export type * from './messages/message-record.ts';
export { LANES } from './messages/message-record.ts';
export { applyChange } from './messages/apply-change.ts';
export { toStoredEncoding, fromStoredEncoding } from './messages/stored-encoding.ts';
export type * from './ports/message-store.ts';
export type * from './ports/route-queue.ts';
export type { MessageBackend } from './ports/backend.ts';
export { createMemoryBackend } from './adapters/memory/memory-backend.ts';
export { createRedisBackend } from './adapters/redis/redis-backend.ts';
export type { RedisBackendOptions } from './adapters/redis/redis-backend.ts';
export { GW_ERRORS, GatewayError, gatewayError } from './errors.ts';
export type { GatewayErrorCode } from './errors.ts';
export { AcceptService } from './accept/accept-service.ts';
export type { AcceptServiceOptions } from './accept/accept-service.ts';
export type { SubmitRequest, AcceptAccount, AcceptedMessage } from './accept/accept-request.ts';
export { Gateway, errorBody } from './gateway.ts';
export type { GatewayOptions, BatchIdempotency, BatchItemResult, ErrorBody } from './gateway.ts';
export { AccountRegistry, hashApiKey, checkApiKey, newApiKey, API_KEY_MIN_LENGTH } from './accounts/account-registry.ts';
export type { AccountConfig, AccountLimits } from './accounts/account-registry.ts';
export { signWebhook, verifyWebhook, SIGNATURE_HEADER } from './webhooks/webhook-signature.ts';
export { GatewayMetrics } from './metrics/gateway-metrics.ts';
export { SILENT_LOG } from './log/gateway-log.ts';
export type { GatewayLog, LogFields } from './log/gateway-log.ts';
export type * from './events/gateway-event.ts';
export type { EventLog } from './ports/event-log.ts';
export { MemoryEventLog } from './adapters/memory/memory-event-log.ts';
export { inboundEvent, partViews, statusEvent } from './events/gateway-event.ts';
export { parseGatewayConfig } from './config/gateway-config.ts';
export { CONFIG_SECTIONS } from './config/config-sections.ts';
export { readConfigFile } from './adapters/file/config-file.ts';
export type { GatewayConfig, ConnectorEntry } from './config/gateway-config.ts';
export { createDriver } from './config/create-driver.ts';
// Kafka: the durable publisher with its Redis outbox, the event log, and the consumer groups.
export { KafkaPipeline, CONSUMER_ROLES } from './adapters/kafka/kafka-pipeline.ts';
export type { KafkaPipelineOptions, ConsumerRole } from './adapters/kafka/kafka-pipeline.ts';
export { kafkaSettings, DEFAULT_KAFKA_TOPICS } from './adapters/kafka/kafka-settings.ts';
export type { KafkaSettings, KafkaTopics } from './adapters/kafka/kafka-settings.ts';
export { createKafka, ensureTopics } from './adapters/kafka/kafka-client.ts';
export type { KafkaLog } from './adapters/kafka/kafka-client.ts';
export { DurablePublisher } from './events/durable-publisher.ts';
export type { OutboundRecord, Outbox, RecordSink } from './events/durable-publisher.ts';
export { RedisOutbox } from './adapters/redis/redis-outbox.ts';
export { receiptRecord, receiptFromRecord } from './events/receipt-record.ts';
export { parseEvent } from './consumers/webhook-feeder.ts';
export type { ReceiptLog, EventFilter } from './ports/event-log.ts';
