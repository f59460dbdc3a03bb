/**
 * Prometheus metrics of one gateway. No per-number or per-message labels: cardinality stays bounded by
 * connectors, carriers, states and error codes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly accepted = new Counter({ name: 'smsgw_messages_accepted_total', help: 'Messages accepted', labelNames: ['account', 'lane'], registers: [this.registry] });
  readonly deferred = new Counter({
    name: 'smsgw_messages_deferred_total',
    help: "Messages held for their account's send window, by where: accept, dispatch (its turn came while closed), retry",
    labelNames: ['account', 'stage'],
    registers: [this.registry],
  });
  readonly refused = new Counter({ name: 'smsgw_messages_refused_total', help: 'Messages refused, by error code', labelNames: ['reason'], registers: [this.registry] });
  readonly quotaRefusals = new Counter({ name: 'smsgw_quota_refusals_total', help: 'Messages refused by a quota (GW_QUOTA_EXCEEDED), by account, period and unit', labelNames: ['account', 'period', 'unit'], registers: [this.registry] });
  readonly verifications = new Counter({
    name: 'smsgw_verifications_total',
    help: 'Verification steps by account and status: sent, approved, failed (a wrong code, attempts left), expired, max_attempts_reached, canceled',
    labelNames: ['account', 'status'],
    registers: [this.registry],
  });
  readonly verificationRefusals = new Counter({
    name: 'smsgw_verification_refusals_total',
    help: 'Verifications refused before a code was sent, by account and reason: number, account (VERIFY_RATE_LIMITED), velocity, conversion (VERIFY_FRAUD_SUSPECTED), country (VERIFY_COUNTRY_NOT_ALLOWED)',
    labelNames: ['account', 'reason'],
    registers: [this.registry],
  });
  readonly suppressed = new Counter({
    name: 'smsgw_messages_suppressed_total',
    help: 'Messages refused at accept because the recipient is on the suppression list (GW_RECIPIENT_SUPPRESSED), by account and the entry reason',
    labelNames: ['account', 'reason'],
    registers: [this.registry],
  });
  readonly suppressionChanges = new Counter({
    name: 'smsgw_suppression_changes_total',
    help: 'Suppression list changes, by action (suppressed, lifted) and source kind (keyword, api, operator, import, system)',
    labelNames: ['action', 'source'],
    registers: [this.registry],
  });
  readonly parts = new Counter({ name: 'smsgw_parts_total', help: 'Parts (segments) accepted, by encoding', labelNames: ['encoding'], registers: [this.registry] });
  readonly submits = new Counter({ name: 'smsgw_submits_total', help: 'Part submits, by connector and outcome', labelNames: ['connector', 'status'], registers: [this.registry] });
  readonly receipts = new Counter({
    name: 'smsgw_receipts_total',
    help: 'Receipts, counted once: when they matched a part (at once or after being held) or when they were given up unmatched',
    labelNames: ['connector', 'state', 'matched'],
    registers: [this.registry],
  });
  readonly receiptsUnmatched = new Counter({ name: 'smsgw_receipts_unmatched_total', help: 'Receipts given up after the hold time without a matching part', registers: [this.registry] });
  readonly messageStatus = new Counter({ name: 'smsgw_message_status_total', help: 'Message status changes', labelNames: ['status'], registers: [this.registry] });
  readonly inbound = new Counter({ name: 'smsgw_inbound_total', help: 'Inbound messages', labelNames: ['connector', 'complete'], registers: [this.registry] });
  readonly keywords = new Counter({ name: 'smsgw_keywords_total', help: 'Inbound messages that were a keyword, by kind: opt-out, opt-in, help', labelNames: ['kind'], registers: [this.registry] });
  readonly keywordReplies = new Counter({
    name: 'smsgw_keyword_replies_total',
    help: 'Keyword replies and automatic acknowledgements, by kind (opt-out, opt-in, help, auto-ack) and outcome: sent, duplicate (a replayed inbound), skipped (already opted out), failed',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  readonly linkClicks = new Counter({
    name: 'smsgw_link_clicks_total',
    help: 'Short link requests counted, by account and kind: human (a first click), repeat (a later human click), bot (a link previewer or a HEAD request)',
    labelNames: ['account', 'kind'],
    registers: [this.registry],
  });
  readonly campaignTransitions = new Counter({
    name: 'smsgw_campaign_transitions_total',
    help: 'Campaigns entering a state, by account and state: draft, scheduled, running (started or resumed), paused, completed, canceled (never by campaign)',
    labelNames: ['account', 'state'],
    registers: [this.registry],
  });
  readonly campaignRecipients = new Counter({
    name: 'smsgw_campaign_recipients_total',
    help: 'Campaign recipients moving to a status, by account and status: queued (handed on), sent, delivered, failed, canceled, clicked (the first click); each step counted once',
    labelNames: ['account', 'status'],
    registers: [this.registry],
  });
  readonly linkMisses = new Counter({ name: 'smsgw_link_misses_total', help: 'Short link requests with no redirect, by reason: unknown (404), expired (410)', labelNames: ['reason'], registers: [this.registry] });
  readonly reclaimed = new Counter({ name: 'smsgw_queue_reclaimed_total', help: 'Queue entries taken over from a dead worker', labelNames: ['connector'], registers: [this.registry] });
  readonly webhooks = new Counter({
    name: 'smsgw_webhooks_total',
    help: 'Webhook attempts as each ends, by outcome: delivered, retry (failed, tried again later), gave_up (failed, schedule over), refused (target not allowed by webhooks.allow; never posted)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly acceptToSubmit = new Histogram({ name: 'smsgw_accept_to_submit_seconds', help: 'From accept to submit_sm_resp / +CMGS of a part', labelNames: ['connector'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly submitToReceipt = new Histogram({ name: 'smsgw_submit_to_receipt_seconds', help: 'From submit to final receipt of a part', labelNames: ['connector'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'smsgw_queue_depth', help: 'Queue entries waiting or pending, per connector and lane', labelNames: ['connector', 'lane'], registers: [this.registry] });
  readonly outboxSize = new Gauge({ name: 'smsgw_event_outbox_size', help: 'Records waiting in the Redis outbox while Kafka is unreachable', registers: [this.registry] });
  readonly eventsPublished = new Counter({ name: 'smsgw_events_published_total', help: 'Records written to Kafka, by topic', labelNames: ['topic'], registers: [this.registry] });
  readonly eventsFailed = new Counter({ name: 'smsgw_events_failed_total', help: 'Events neither Kafka nor the outbox took (both unreachable)', registers: [this.registry] });
  readonly outboxFallbacks = new Counter({ name: 'smsgw_event_outbox_fallbacks_total', help: 'Times Kafka failed a send and records went to the outbox', registers: [this.registry] });
  readonly consumerRejoins = new Counter({
    name: 'smsgw_kafka_consumer_rejoins_total',
    help: 'Attempts to join a consumer group again after kafkajs gave up on it (or after such a join failed), by group',
    labelNames: ['group'],
    registers: [this.registry],
  });
  readonly receiptsParked = new Counter({ name: 'smsgw_receipts_parked_total', help: 'Receipts parked on the dead-letter topic, by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly webhookJobs = new Counter({
    name: 'smsgw_webhook_jobs_total',
    help: 'Webhook jobs: added, duplicate (a replayed event from the events topic), dropped (known, or the memory queue is full), failed (the queue was unreachable)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly receiptTimeouts = new Counter({ name: 'smsgw_receipt_timeouts_total', help: 'Parts whose receipt wait ended, by how they were settled: query (query_sm answered) or timeout (unknown)', labelNames: ['connector', 'how'], registers: [this.registry] });
  readonly linksUp = new Gauge({ name: 'smsgw_links_up', help: 'Binds or modems up, per connector', labelNames: ['connector'], registers: [this.registry] });

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: 'smsgw_' });
      // Gauges named *_total break the exposition format's conventions (`promtool check metrics` refuses them), and
      // each is the sum of its per-type gauge without the suffix (sum(smsgw_nodejs_active_handles) is the total).
      for (const name of GAUGES_NAMED_TOTAL) this.registry.removeSingleMetric(`smsgw_${name}`);
    }
  }
}
