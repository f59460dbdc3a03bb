/**
 * One query_sm on a bound transmitter or transceiver (round-robin), taking a token of the shared rate like a submit
 * but no room in the submit window. The id goes out exactly as submit_sm_resp gave it while the connector remembers
 * it (`receiptIdMemory`), else in its normalized form (hex lowercased, leading zeros dropped).
 */
import { isCodedError, type CodedError, type RecentMap } from '../../common/index.ts';
import { normalizeMessageId } from '../codec/index.ts';
import { MAX_MESSAGE_ID, decodeQueryAnswer, encodeQuerySm } from '../smpp-protocol/index.ts';
import type { QueryOutcome, QueryRequest } from '../transport/index.ts';
import type { AdaptiveRate } from './adaptive-rate.ts';
import { smppAddress, type SmppAddress } from './addressing.ts';
import type { PendingRequest } from './bind-types.ts';
import { sleepOn, type SmppClock } from './clock.ts';
import type { SmppConfig } from './config.ts';
import type { CounterName } from './connector-counters.ts';
import { smppError } from './errors.ts';
import { judgeQueryAnswer } from './query-judge.ts';

/** A bind as a query needs it. */
export interface QueryBind {
  readonly id: string;
  readonly canRequest: boolean;
  request(pending: PendingRequest, pdu: Buffer, now: number): number;
}

export interface QueryContext {
  readonly connectorId: string;
  readonly config: SmppConfig;
  readonly clock: SmppClock;
  readonly rate: AdaptiveRate;
  readonly knownIds: RecentMap<string, string>;
  closing(): boolean;
  started(): boolean;
  readonly senders: readonly QueryBind[];
  /** The next bind round-robin that can take a request. */
  pickRequestBind(): QueryBind | undefined;
  count(name: CounterName): void;
}

export async function querySm(ctx: QueryContext, request: QueryRequest): Promise<QueryOutcome> {
  const { config, clock } = ctx;
  const details = { connector: ctx.connectorId, carrierMessageId: request.carrierMessageId };
  ctx.count('queries');
  const failed = (error: CodedError): QueryOutcome => {
    ctx.count('queriesFailed');
    return { status: 'failed', error };
  };
  if (ctx.closing()) return failed(smppError('SMPP_CLOSED', undefined, details));
  if (!ctx.started()) return failed(smppError('SMPP_NOT_BOUND', 'connector not started', details));
  const messageId = ctx.knownIds.get(normalizeMessageId(request.carrierMessageId)) ?? request.carrierMessageId.trim();
  if (messageId === '' || messageId.length > MAX_MESSAGE_ID || !/^[\x20-\x7e]+$/.test(messageId)) {
    return failed(smppError('SMPP_INVALID_REQUEST', 'carrierMessageId cannot be a query_sm message_id', { ...details, field: 'carrierMessageId' }));
  }
  let source: SmppAddress;
  try {
    source = smppAddress(request.from, config.addressing, 'from');
  } catch (error) {
    return failed(isCodedError(error) ? error : smppError('SMPP_INVALID_ADDRESS', String(error), { ...details, field: 'from' }));
  }
  const deadline = clock.now() + config.submitTimeoutMs;
  for (;;) {
    if (ctx.closing()) return failed(smppError('SMPP_CLOSED', undefined, details));
    if (!ctx.senders.some((b) => b.canRequest)) return failed(smppError('SMPP_NOT_BOUND', 'no bind up for query_sm', details));
    const now = clock.now();
    const wait = ctx.rate.take(now);
    if (wait === 0) break;
    if (now + wait > deadline) return failed(smppError('SMPP_QUERY_TIMEOUT', 'no rate token in time', { ...details, timeoutMs: config.submitTimeoutMs }));
    await sleepOn(clock, wait);
  }
  const bind = ctx.pickRequestBind() as QueryBind;
  const outcome = await new Promise<QueryOutcome>((resolve) => {
    const pending: PendingRequest = {
      sentAt: 0,
      answered: (frame) => resolve(judgeQueryAnswer(decodeQueryAnswer(frame), request.carrierMessageId, { ...details, bind: bind.id, messageId })),
      timedOut: () =>
        resolve({
          status: 'failed',
          error: smppError('SMPP_QUERY_TIMEOUT', `after ${config.submitTimeoutMs} ms on ${bind.id}`, { ...details, bind: bind.id, timeoutMs: config.submitTimeoutMs }),
        }),
      lost: (reason) =>
        resolve({
          status: 'failed',
          error: smppError('SMPP_CONNECTION_LOST', `${reason.code} on ${bind.id}`, { ...details, bind: bind.id, reason: reason.code }),
        }),
    };
    bind.request(pending, encodeQuerySm({ messageId, sourceTon: source.ton, sourceNpi: source.npi, sourceAddr: source.addr }), clock.now());
  });
  if (outcome.status === 'failed') ctx.count('queriesFailed');
  return outcome;
}
