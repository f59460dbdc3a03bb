/**
 * The gateway core as the API, the CLI and the tests see it: the composition root (`Gateway`) and the services it
 * exposes, the message model, the ports' adapters a process chooses from (memory or Redis backend, memory or
 * Kafka event transport), the configuration, and the router's file, Redis and HLR adapters. Everything else in
 * gateway/ is internal; tests of internals import their modules directly.
 */

// The composition root and its services.
export { Gateway, CONSUMER_ROLES } from './gateway.ts';
export type { GatewayOptions, GatewayServices, ConsumerRole } from './gateway.ts';
export type { MessagesService, BatchIdempotency, BatchItemResult } from './messages/messages-service.ts';
export type { ServiceSubmit } from './accept/accept-request.ts';
export type { SuppressionService, SuppressionChange, SuppressInput, LiftInput } from './suppressions/suppression-service.ts';
export { SUPPRESSION_REASONS } from './ports/suppression-store.ts';
export type { SuppressionEntry, SuppressionReason, SuppressionSource, ConsentEvent, SuppressionPage, SuppressionStore } from './ports/suppression-store.ts';
export type { Readiness } from './links/link-state.ts';
export { OperationsService, FAILURE_SCAN, FAILURE_WINDOW_MS, MAX_FAILURES } from './operations/operations-service.ts';
export { AddressList } from './net/address-list.ts';
export type { ConnectorsSnapshot, FailureQuery } from './operations/operations-service.ts';
export type { ConnectorSnapshot, ConnectorStatus, LinkSnapshot, LinkStatus, ModemSnapshot, ModemRegistration, SignalQuality } from './operations/connector-snapshot.ts';
export type { BindSlots } from './operations/bind-slots.ts';
export { FAILED_PART_STATUSES } from './operations/recent-failures.ts';
export type { RecentFailure } from './operations/recent-failures.ts';
export { AcceptService } from './accept/accept-service.ts';
export type { SubmitRequest, AcceptedMessage } from './accept/accept-request.ts';
export type { MessageQuote, RouteQuote, EncodingQuote } from './accept/message-quote.ts';
export { GW_ERRORS, gatewayError } from './errors.ts';
export { GatewayMetrics } from './metrics/gateway-metrics.ts';
export type { GatewayLog } from './log/gateway-log.ts';

// Accounts and webhooks.
export { AccountRegistry, hashApiKey, checkApiKey, newApiKey, API_KEY_MIN_LENGTH } from './accounts/account-registry.ts';
export type { AccountConfig } from './accounts/account-registry.ts';
export type { ConsoleUserConfig, ConsoleRole } from './accounts/account-config.ts';
export { CONSOLE_ROLES } from './accounts/account-config.ts';
export { ConsoleSignIn, DEFAULT_SIGN_IN_LIMITS } from './accounts/console-sign-in.ts';
export type { ConsoleIdentity, SignInLimits } from './accounts/console-sign-in.ts';
export { diffAccounts, summarizeAccount, unchanged } from './accounts/account-changes.ts';
export type { AccountChange, AccountChanges, AccountSummary } from './accounts/account-changes.ts';
export { verifyWebhook } from './webhooks/webhook-signature.ts';

// Messages and their events.
export { MESSAGE_STATUSES, PART_STATUSES, isFinalMessageStatus } from './messages/message-status.ts';
export type { MessageStatus } from './messages/message-status.ts';
export { messagePrice } from './messages/message-price.ts';
export type { MessagePrice } from './messages/message-price.ts';
export type { MessageRecord } from './messages/message-record.ts';
export { notBeforeOf } from './windows/not-before.ts';
export { inboundEvent, partViews, statusEvent } from './events/gateway-event.ts';
export type { GatewayEvent, InboundEvent, UnmatchedReceiptRecord } from './events/gateway-event.ts';
export { receiptRecord } from './events/receipt-record.ts';

// Backends: the message store and its queues, in memory or on Redis.
export type { MessageBackend } from './ports/backend.ts';
export type { UsageStore, UsageCount, UsageDay, QuotaTake, QuotaAnswer, QuotaLimit, QuotaPeriod, QuotaUnit } from './ports/usage-store.ts';
export { MemoryUsageStore } from './adapters/memory/memory-usage-store.ts';
export { RedisUsageStore } from './adapters/redis/redis-usage-store.ts';
export { UsageService, USAGE_GROUPS, MAX_USAGE_DAYS } from './usage/usage-service.ts';
export type { UsageGroup, UsageQuery, UsageReport, UsageRow, UsageFigures } from './usage/usage-service.ts';
export { UsageCalendar } from './usage/usage-calendar.ts';
export { QuotaGate } from './usage/quota-gate.ts';
export type { AccountQuotas, QuotaAmounts } from './usage/quota-gate.ts';
export { createMemoryBackend } from './adapters/memory/memory-backend.ts';
export { createRedisBackend } from './adapters/redis/redis-backend.ts';
export type { RedisBackend } from './adapters/redis/redis-backend.ts';
export { redisKeys, DEFAULT_KEY_PREFIX } from './adapters/redis/redis-keys.ts';

// Event transports: in memory, or Kafka with its durable publisher and Redis outbox.
export type { EventTransport } from './ports/event-transport.ts';
export { MemoryEventTransport } from './adapters/memory/memory-event-transport.ts';
export { KafkaEventTransport } from './adapters/kafka/kafka-event-transport.ts';
export { kafkaSettings, DEFAULT_KAFKA_TOPICS } from './adapters/kafka/kafka-settings.ts';
export type { KafkaSettings } from './adapters/kafka/kafka-settings.ts';
export type { EventGroupsMode } from './adapters/kafka/event-groups.ts';
export { createKafka } from './adapters/kafka/kafka-client.ts';
export { DurablePublisher } from './events/durable-publisher.ts';
export type { OutboundRecord, Outbox, RecordSink } from './events/durable-publisher.ts';
export { RedisOutbox } from './adapters/redis/redis-outbox.ts';

// Configuration and drivers.
export { parseGatewayConfig } from './config/gateway-config.ts';
export type { GatewayConfig, ConsoleConfig } from './config/gateway-config.ts';
export { CONFIG_SECTIONS } from './config/config-sections.ts';
export { readConfigFile } from './adapters/file/config-file.ts';
export { createDriver } from './config/create-driver.ts';

// The router's adapters: routing files, number portability (file, CSV import, Redis) and the HLR client.
export { loadRoutingFile, reloadRoutingFile, readBuiltinRanges } from './adapters/file/routing-files.ts';
export { importPortingCsv } from './adapters/file/porting-csv-import.ts';
export { loadPortingFile, portingFileOf, PortingFileError } from './adapters/file/porting-file.ts';
export { RedisPortingSource } from './adapters/redis/redis-porting-source.ts';
export { undiciHlrFetcher, createHlrHook } from './adapters/http/undici-hlr-fetcher.ts';
export type { VerificationService, StartVerification, VerificationChange, CheckAnswer } from './verification/verification-service.ts';
export { VERIFICATION_STATUSES } from './ports/verification-store.ts';
export type { VerificationRecord, VerificationStatus, VerificationStore } from './ports/verification-store.ts';
export { VERIFY_ERRORS } from './verification/verify-errors.ts';
export { VERIFICATION_COUNTS, VERIFICATION_REFUSAL_REASONS, MAX_STATS_DAYS } from './verification/verification-stats.ts';
export type { VerificationCounts, VerificationCountName, VerificationDayStats, VerificationRefusalReason, VerificationStats } from './verification/verification-stats.ts';
export type { VerifyErrorCode } from './verification/verify-errors.ts';
export { LinkService } from './short-links/link-service.ts';
export type { LinkSettings, NewLink, MadeLink, LinkClick, FollowAnswer } from './short-links/link-service.ts';
export type { ShortLink, LinkStore, NewShortLink, ClickKind, ClickResult } from './ports/link-store.ts';
export { verifyLinkToken, signLinkToken } from './short-links/link-token.ts';
export type { LinkTokenClaims, LinkTokenCheck } from './short-links/link-token.ts';
export { LINK_CODE_ALPHABET, newLinkCode, isLinkCode } from './short-links/link-code.ts';
export { isBotRequest, LINK_PREVIEWERS } from './short-links/link-previewers.ts';
export { shortenUrlsIn, urlsIn } from './short-links/shorten-text.ts';
export type { LinkClickedEvent } from './events/gateway-event.ts';

// Campaigns: the input side (CSV or JSON rows, template, row validation) and the preview.
export type { CampaignInputService, CampaignRowsRequest, PreviewAnswer } from './campaigns/campaign-input-service.ts';
export { readCampaignRows, DUPLICATE_POLICIES, MAX_CAMPAIGN_ROWS } from './campaigns/campaign-rows.ts';
export type { CsvColumns } from './campaigns/csv-columns.ts';
export type { CampaignSource, CampaignRowsOptions, CampaignRowsDeps, CampaignRowResult, CampaignRowOk, CampaignRowRefused, CampaignInput, DuplicatePolicy } from './campaigns/campaign-rows.ts';
export { PreviewTotals } from './campaigns/preview-totals.ts';
export type { CampaignPreview, PreviewProgress, PreviewRowError, PreviewSample, PreviewTotalsOptions } from './campaigns/preview-totals.ts';
export { CampaignTemplate, linkPlaceholder, LINK_VARIABLE } from './campaigns/campaign-template.ts';
export type { LinkShape } from './campaigns/campaign-template.ts';
export { CAMPAIGN_ERRORS, campaignError, CampaignError } from './campaigns/campaign-errors.ts';
export type { CampaignErrorCode, CampaignRowErrorCode } from './campaigns/campaign-errors.ts';
// Campaigns that send: the store port, the service (create, control, recipients) and the runner.
export { CampaignService, recipientView } from './campaigns/campaign-service.ts';
export type { CampaignView, CreateCampaign, RecipientFilter, RecipientView } from './campaigns/campaign-service.ts';
export { CampaignRunner } from './campaigns/campaign-runner.ts';
export { campaignStatusEvent } from './campaigns/campaign-status-event.ts';
export type { CampaignStatusEvent } from './events/gateway-event.ts';
export { CAMPAIGN_STATES, RECIPIENT_STATUSES } from './ports/campaign-store.ts';
export { sendWindowProblem, SEND_WINDOW_SCHEMA } from './windows/send-windows.ts';
export type { SendWindowConfig } from './windows/send-windows.ts';
export type { CampaignOptions, CampaignRecord, CampaignState, CampaignStore, RecipientCounter, RecipientStatus } from './ports/campaign-store.ts';
