/**
 * The accept path: validate, normalize and route (router), encode and split once (codec: the parts stored are
 * exactly what is sent and billed), then one atomic write of the record and its queue entry. Only after that
 * write does the caller get its answer, so nothing acknowledged is lost.
 */
import { randomUUID } from 'node:crypto';
import { encodeBinary, encodeText, fromHex, decodeUdh, MAX_PARTS, type EncodedMessage } from '../../drivers/codec/index.ts';
import { CodedError, isCodedError, isoTime } from '../../common/index.ts';
import { DEFAULT_CARRIER_PROFILE, type CarrierProfile, type DecisionContext, type RouteDecision, type RouterHandle } from '../../router/index.ts';
import { gatewayError } from '../errors.ts';
import type { Lane, MessageRecord, StoredEncoding } from '../messages/message-record.ts';
import type { PartSeal } from '../messages/part-seal.ts';
import { toStoredEncoding } from '../messages/stored-encoding.ts';
import type { InsertResult, MessageStore, Placement } from '../ports/message-store.ts';
import type { QuotaReservation } from '../usage/quota-gate.ts';
import type { AcceptAccount, AcceptedMessage, ServiceSubmit, SubmitRequest } from './accept-request.ts';
import { pinConnector } from './pin-connector.ts';
import { requestFingerprint } from './request-fingerprint.ts';
import { senderAnswer } from './sender-answer.ts';
import { routedRecipient, type EarlyScreen, type RecipientScreen } from './routed-recipient.ts';
import { checkText, controlCharacters } from './text-policy.ts';
import { partCapacities, ucs2Characters, type EncodingQuote, type MessageQuote, type RouteQuote } from './message-quote.ts';
import { notBeforeOf } from '../windows/not-before.ts';
import { windowOpening } from '../windows/send-windows.ts';

export interface AcceptServiceOptions {
  readonly router: RouterHandle;
  readonly store: MessageStore;
  /** Whether a connector can take traffic now (routing skips the ones that cannot). */
  readonly isUp?: (connectorId: string) => boolean;
  readonly now?: () => number;
  /** How long an Idempotency-Key holds (default 24 h). */
  readonly idempotencyTtlMs?: number;
  /** Validity when the request gives none (default 48 h), counted from the send time (scheduleAt when given). */
  readonly defaultValiditySeconds?: number;
  /** Farthest scheduleAt accepted (default 30 days). */
  readonly maxScheduleAheadMs?: number;
  /** How far in the past a scheduleAt may be (clock skew) and still be sent at once (default 5 minutes). */
  readonly schedulePastToleranceMs?: number;
  readonly newId?: () => string;
  /** Runs after the record is stored and before the caller is answered (the accept events go out here). */
  readonly inserted?: (record: MessageRecord) => Promise<void>;
  /**
   * Runs before the record is stored, with the connector the message will wait on (undefined for a scheduled
   * message); throws to refuse it (a full backlog).
   */
  readonly admit?: (connectorId: string | undefined, accountId: string) => void;
  /** Seals the real parts of a message stored masked (ServiceSubmit.maskedText); without it such messages are refused. */
  readonly seal?: PartSeal;
  /** Reserves the message's quota share once its parts are known (throws GW_QUOTA_EXCEEDED); see quota-gate.ts. */
  readonly reserve?: (accountId: string, segments: number, at: number) => Promise<QuotaReservation | undefined>;
  /**
   * The text as sent, from the text as asked (URLs replaced by short links for `shortenUrls`), given the message's
   * id, account, recipient and validity end before anything is encoded or stored.
   */
  readonly prepareText?: (text: string, message: { readonly id: string; readonly accountId: string; readonly to: string; readonly expiresAt: number }) => Promise<string>;
  /**
   * The recipient's check (the suppression list): its read starts once the number is parsed, alongside the
   * carrier lookup, and it throws to refuse the recipient once the message is routed, before anything is stored.
   */
  readonly screen?: RecipientScreen;
  /** The same check for a quote, which refuses nothing for real (so it is not counted); default `screen`. */
  readonly quoteScreen?: RecipientScreen;
}

const DAY_MS = 86_400_000;
const DEFAULT_PAST_TOLERANCE_MS = 300_000;
const LANE_BY_TAG: Readonly<Record<string, Lane>> = { otp: 'high', '2fa': 'high', alert: 'high', marketing: 'bulk', bulk: 'bulk', campaign: 'bulk' };

export class AcceptService {
  private concatRef = Math.floor(Math.random() * 0x10000);
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly options: AcceptServiceOptions) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  async accept(account: AcceptAccount, request: SubmitRequest, idempotencyKey?: string, service: ServiceSubmit = {}): Promise<AcceptedMessage> {
    const createdAt = this.now();
    if (request.text !== undefined) checkText(request.text);
    const screen = this.options.screen;
    let early: EarlyScreen | undefined;
    const decision = pinConnector(
      await this.decide(account, request, createdAt, screen === undefined ? undefined : (number, sender) => {
        early ??= screen.begin({ accountId: account.id, to: number.e164, requested: sender?.value ?? null, ...(request.tag === undefined ? {} : { tag: request.tag }) }, service);
      }),
      service.connector,
      this.options.isUp,
    );
    await screen?.check(routedRecipient(account.id, decision, request.tag), service, early);
    const { scheduleAt, expiresAt } = this.timing(request, createdAt);
    const id = service.messageId ?? this.newId();
    const sent = await this.prepared(request, service, { id, accountId: account.id, to: decision.to.e164, expiresAt });
    const encoded = this.encode(account, sent, decision.carrier.carrier, decision.profile);
    const stored = this.stored(account, sent, decision, encoded, service.maskedText);
    const first = decision.connectors[0];
    if (first === undefined) throw gatewayError('GW_INVALID_REQUEST', 'route has no connector', { route: decision.route.id });
    const lane = request.priority ?? (request.tag === undefined ? undefined : LANE_BY_TAG[request.tag.toLowerCase()]) ?? 'normal';
    // Outside the send window the message waits for its opening (or for its validity's end, which expires it).
    const notBefore =
      service.ignoreSendWindow === true
        ? undefined
        : windowOpening(account.sendWindow, { tag: request.tag, to: decision.to.e164, country: decision.to.country }, scheduleAt ?? createdAt, account.defaultCountry);
    const sendAt = notBefore === undefined ? scheduleAt : Math.min(notBefore, expiresAt);
    this.options.admit?.(sendAt === undefined ? first.id : undefined, account.id);
    const record: MessageRecord = {
      envelope: {
        id,
        accountId: account.id,
        to: decision.to.e164,
        from: decision.sender.requested,
        carrier: decision.carrier.carrier,
        carrierSource: decision.carrier.source,
        ruleName: decision.rule.name,
        routeId: decision.route.id,
        connectors: decision.connectors.map((c) => c.id),
        senders: decision.connectors.map((c) => c.sender),
        ...(first.senderRewritten && first.senderRule !== null ? { senderRewrittenBy: first.senderRule } : {}),
        ...pricing(decision),
        lane,
        ...(service.ignoreSendWindow === true ? { anyHour: true } : {}),
        receipt: true,
        createdAt,
        ...(request.tag === undefined ? {} : { tag: request.tag }),
        ...(request.clientRef === undefined ? {} : { clientRef: request.clientRef }),
        ...(request.callbackUrl === undefined ? {} : { callbackUrl: request.callbackUrl }),
        ...(scheduleAt === undefined ? {} : { scheduleAt }),
        expiresAt,
        encoded: stored,
      },
      status: sendAt === undefined ? 'queued' : 'scheduled',
      parts: encoded.parts.map((part) => ({ seq: part.seq, status: 'pending' })),
      timeline: [
        { at: createdAt, event: 'accepted' },
        { at: createdAt, event: sendAt === undefined ? 'queued' : 'scheduled', connectorId: first.id },
        ...(notBefore === undefined ? [] : [{ at: createdAt, event: 'deferred' as const, connectorId: first.id, until: notBefore, detail: 'send window closed' }]),
      ],
    };
    const placement: Placement =
      sendAt === undefined
        ? { kind: 'queue', connectorId: first.id, lane, attempt: 0 }
        : { kind: 'schedule', at: sendAt, connectorId: first.id, lane, attempt: 0 };
    const claim =
      idempotencyKey === undefined
        ? undefined
        : { accountId: account.id, key: idempotencyKey, ttlMs: this.idempotencyTtlMs, fingerprint: requestFingerprint('message', request) };
    const result = await this.insertWithin(this.options.reserve?.(account.id, encoded.parts.length, createdAt), () => this.options.store.insert(record, placement, claim));
    if (result.inserted) {
      await this.options.inserted?.(record);
      return answer(record, false);
    }
    if (result.conflict) throw idempotencyConflict(claim?.key ?? '');
    const earlier = await this.options.store.get(result.id);
    if (earlier === undefined) throw gatewayError('GW_NOT_FOUND', `idempotent replay of ${result.id}`, { id: result.id });
    return answer(earlier, true);
  }

  /**
   * What `accept` would meet for this request now, with nothing stored, sent, reserved or counted (see
   * message-quote.ts): the same steps in the same order, every refusal collected instead of the first thrown. The
   * concatenation reference is not drawn (parts are counted with reference 0).
   */
  async quote(account: AcceptAccount, request: SubmitRequest, service: ServiceSubmit = {}): Promise<MessageQuote> {
    const at = this.now();
    const refusals: CodedError[] = [];
    const refuse = (error: unknown): void => {
      // An outage is no answer about the request: the quote fails as a submit would.
      if (!isCodedError(error) || error.retriable) throw error;
      refusals.push(error);
    };
    if (request.text !== undefined) {
      try {
        checkText(request.text);
      } catch (error: unknown) {
        refuse(error);
      }
    }
    let decision: RouteDecision | undefined;
    try {
      decision = pinConnector(await this.decide(account, request, at), service.connector, this.options.isUp);
    } catch (error: unknown) {
      refuse(error);
    }
    const screen = this.options.quoteScreen ?? this.options.screen;
    if (decision !== undefined && screen !== undefined) {
      try {
        await screen.check(routedRecipient(account.id, decision, request.tag), service);
      } catch (error: unknown) {
        refuse(error);
      }
    }
    let sendAt = at;
    try {
      sendAt = this.timing(request, at).scheduleAt ?? at;
    } catch (error: unknown) {
      refuse(error);
    }
    const route = decision === undefined ? undefined : this.routeQuote(account, request, decision, sendAt, service);
    const encoding = this.encodingQuote(account, request, decision, refuse);
    return { refusals, ...(route === undefined ? {} : { route }), ...(encoding === undefined ? {} : { encoding }) };
  }

  private routeQuote(account: AcceptAccount, request: SubmitRequest, decision: RouteDecision, sendAt: number, service: ServiceSubmit): RouteQuote {
    const first = decision.connectors[0];
    const notBefore =
      service.ignoreSendWindow === true
        ? undefined
        : windowOpening(account.sendWindow, { tag: request.tag, to: decision.to.e164, country: decision.to.country }, sendAt, account.defaultCountry);
    return {
      to: decision.to.e164,
      country: decision.to.country,
      numberType: decision.to.type,
      carrier: decision.carrier.carrier,
      carrierSource: decision.carrier.source,
      rule: decision.rule.name,
      route: decision.route.id,
      connectors: decision.connectors.map((c) => c.id),
      connectorUp: first === undefined ? false : (this.options.isUp?.(first.id) ?? true),
      ...(first?.sender === null || first?.sender === undefined ? {} : { from: first.sender }),
      ...(first?.senderRewritten === true && first.senderRule !== null ? { senderRewritten: { rule: first.senderRule, requested: decision.sender.requested } } : {}),
      ...(first?.price === undefined ? {} : { pricePerSegment: first.price }),
      ...(first?.currency === undefined ? {} : { currency: first.currency }),
      ...(notBefore === undefined ? {} : { notBefore }),
    };
  }

  /** The encoding under the carrier's profile (the default one when the recipient does not route), counted past the cap. */
  private encodingQuote(account: AcceptAccount, request: SubmitRequest, decision: RouteDecision | undefined, refuse: (error: unknown) => void): EncodingQuote | undefined {
    if (request.text === undefined && request.binary === undefined) return undefined;
    const carrier = decision?.carrier.carrier;
    const profile = decision?.profile ?? DEFAULT_CARRIER_PROFILE;
    const maxParts = Math.min(request.maxParts ?? account.maxParts ?? 10, account.maxParts ?? 10, profile.maxParts);
    let encoded: EncodedMessage;
    try {
      encoded = this.encode(account, request, carrier, profile, 0);
    } catch (error: unknown) {
      refuse(error);
      // Over the cap: the refusal is kept, and the parts are counted without the cap so the form can say by how much.
      if (!isCodedError(error) || error.code !== 'CODEC_TOO_MANY_PARTS') return undefined;
      try {
        encoded = this.encode({ ...account, maxParts: MAX_PARTS }, { ...request, maxParts: MAX_PARTS }, carrier, { ...profile, maxParts: MAX_PARTS }, 0);
      } catch {
        return undefined;
      }
    }
    const { singlePartUnits, partUnits } = partCapacities(encoded, profile.refSize);
    const units = encoded.parts.reduce((sum, part) => sum + part.units, 0);
    const price = decision?.connectors[0]?.price;
    const currency = decision?.connectors[0]?.currency;
    const forcing = encoded.encoding === 'ucs2' && (request.encoding ?? 'auto') === 'auto' && request.text !== undefined
      ? ucs2Characters(request.text, { shiftTables: account.shiftTables ?? false, smart: request.smart ?? false })
      : { shown: [], count: 0 };
    return {
      ...(carrier === undefined ? {} : { carrier }),
      refSize: profile.refSize,
      maxParts,
      encoding: encoded.encoding,
      characters: request.text === undefined ? 0 : encoded.characters,
      units,
      parts: encoded.parts.length,
      singlePartUnits,
      partUnits,
      maxUnits: maxParts === 1 ? singlePartUnits : partUnits * maxParts,
      remainingInLastPart: encoded.remainingInLastPart,
      substitutions: encoded.substitutions,
      shiftTables: encoded.shiftTables,
      ucs2Characters: forcing.shown,
      ucs2CharacterCount: forcing.count,
      controlCharacters: request.text === undefined ? [] : controlCharacters(request.text),
      ...(price === undefined ? {} : { price: Math.round(price * encoded.parts.length * 1e6) / 1e6 }),
      ...(currency === undefined ? {} : { currency }),
    };
  }

  /**
   * Takes a batch's Idempotency-Key with the batch's fingerprint (its items then carry keys of their own). Resolves
   * when the key is new or held by this very batch (a retry); throws GW_IDEMPOTENCY_CONFLICT when it was used
   * with another request.
   */
  async claimBatch(accountId: string, key: string, batch: unknown): Promise<void> {
    const claim = await this.options.store.claimIdempotency({ accountId, key, ttlMs: this.idempotencyTtlMs, fingerprint: requestFingerprint('batch', batch) });
    if (claim.conflict) throw idempotencyConflict(key);
  }

  /** The request with the text to send: its URLs shortened when it asks (the fingerprint stays the request's). */
  private async prepared(request: SubmitRequest, service: ServiceSubmit, message: { id: string; accountId: string; to: string; expiresAt: number }): Promise<SubmitRequest> {
    if (request.shortenUrls !== true || request.text === undefined) return request;
    if (service.maskedText !== undefined) throw gatewayError('GW_INVALID_REQUEST', 'a masked text cannot have its URLs shortened', { field: 'shortenUrls' });
    const prepare = this.options.prepareText;
    if (prepare === undefined) throw gatewayError('GW_INVALID_REQUEST', 'short links are not available here', { field: 'shortenUrls' });
    return { ...request, text: await prepare(request.text, message) };
  }

  /** The quota share is given back when the write fails or is an idempotent replay (the first one counted already). */
  private async insertWithin(reserving: Promise<QuotaReservation | undefined> | undefined, insert: () => Promise<InsertResult>): Promise<InsertResult> {
    const reservation = await reserving;
    const result = await insert().catch(async (error: unknown) => {
      await reservation?.release().catch(() => undefined);
      throw error;
    });
    if (!result.inserted) await reservation?.release();
    return result;
  }

  private get idempotencyTtlMs(): number {
    return this.options.idempotencyTtlMs ?? DAY_MS;
  }

  /**
   * The route for the request, preferring connectors that are up. When none of the route's connectors is up the
   * message is still accepted: it waits in the first connector's queue until a bind is up or its validity ends,
   * as carriers' SMSCs hold messages through an outage.
   */
  private async decide(account: AcceptAccount, request: SubmitRequest, createdAt: number, numbered?: DecisionContext['numbered']): Promise<RouteDecision> {
    const from = request.from ?? account.defaultSender;
    const input = {
      to: request.to,
      ...(from === undefined ? {} : { from }),
      account: account.id,
      ...(request.tag === undefined ? {} : { tag: request.tag }),
      ...(account.defaultCountry === undefined ? {} : { defaultCountry: account.defaultCountry }),
      ...(account.requireMobile === undefined ? {} : { requireMobile: account.requireMobile }),
      at: new Date(createdAt),
    };
    const told = numbered === undefined ? {} : { numbered };
    if (this.options.isUp === undefined) return this.options.router.decide(input, told);
    try {
      return await this.options.router.decide(input, { isUp: this.options.isUp, ...told });
    } catch (error: unknown) {
      if (!isCodedError(error) || error.code !== 'ROUTE_NO_HEALTHY_CONNECTOR') throw error;
      return this.options.router.decide(input, told);
    }
  }

  /**
   * Encodes for the destination's carrier: its profile sets the concatenation reference size (docomo's 16-bit
   * reference leaves 66 UCS-2 characters a part) and caps the parts with the account's and the request's limits.
   */
  private encode(account: AcceptAccount, request: SubmitRequest, carrier: string | undefined, profile: CarrierProfile, concatRef?: number): EncodedMessage {
    const accountMax = account.maxParts ?? 10;
    const maxParts = Math.min(request.maxParts ?? accountMax, accountMax, profile.maxParts);
    const limits = { maxParts, refSize: profile.refSize, concatRef: concatRef ?? this.nextConcatRef(profile.refSize) };
    // A quote of a recipient that does not route counts under the default profile, for no carrier.
    const forCarrier = { ...(carrier === undefined ? {} : { carrier }), carrierMaxParts: profile.maxParts, refSize: profile.refSize };
    if (request.binary !== undefined) {
      if (request.text !== undefined) throw gatewayError('GW_INVALID_REQUEST', 'give text or binary, not both', { field: 'binary' });
      const { udh: udhHex, binary } = request;
      const udh = udhHex === undefined ? [] : inField('udh', () => decodeUdh(fromHex(udhHex)).elements);
      return inField('binary', () => encodeBinary(fromHex(binary), { udh, ...limits }), forCarrier);
    }
    const { text } = request;
    if (text === undefined) throw gatewayError('GW_INVALID_REQUEST', 'text or binary is required', { field: 'text' });
    return inField(
      'text',
      () =>
        encodeText(text, {
          encoding: request.encoding ?? 'auto',
          smart: request.smart ?? false,
          shiftTables: account.shiftTables ?? false,
          ...limits,
        }),
      forCarrier,
    );
  }

  /**
   * What is stored of the parts: the parts themselves, or, for a text with a secret in it, the masked text encoded
   * alike (same concatenation reference) with the real parts sealed beside it. A mask that splits differently is
   * refused: the stored parts must stand for the sent ones, part for part.
   */
  private stored(account: AcceptAccount, request: SubmitRequest, decision: RouteDecision, encoded: EncodedMessage, maskedText: string | undefined): StoredEncoding {
    if (maskedText === undefined) return toStoredEncoding(encoded);
    const seal = this.options.seal;
    if (seal === undefined) throw gatewayError('GW_INVALID_CONFIG', 'a masked message needs the deployment secret (SMSGW_VERIFY_SECRET)', { field: 'maskedText' });
    const masked = this.encode(account, { ...request, text: maskedText }, decision.carrier.carrier, decision.profile, encoded.parts[0]?.concat?.ref ?? 0);
    const sameSplit = masked.encoding === encoded.encoding && masked.parts.length === encoded.parts.length && masked.parts.every((part, i) => part.units === encoded.parts[i]?.units);
    if (!sameSplit) throw gatewayError('GW_INVALID_REQUEST', 'the masked text does not split into parts as the text does', { field: 'maskedText' });
    return seal.seal(toStoredEncoding(masked), toStoredEncoding(encoded));
  }

  /** A fresh concatenation reference, within the 8- or 16-bit range the carrier's profile uses. */
  private nextConcatRef(refSize: 8 | 16): number {
    this.concatRef = (this.concatRef + 1) & 0xffff;
    return refSize === 16 ? this.concatRef : this.concatRef & 0xff;
  }

  /**
   * When the message goes and until when it may. A scheduleAt up to the tolerance in the past (clock skew) means
   * now; further back it is refused. Validity counts from the send time, so any schedule within the limit can
   * carry any validity.
   */
  private timing(request: SubmitRequest, createdAt: number): { scheduleAt: number | undefined; expiresAt: number } {
    let scheduleAt = request.scheduleAt;
    const tolerance = this.options.schedulePastToleranceMs ?? DEFAULT_PAST_TOLERANCE_MS;
    if (scheduleAt !== undefined && scheduleAt < createdAt - tolerance) {
      throw gatewayError('GW_SCHEDULE_IN_PAST', `${new Date(scheduleAt).toISOString()} is more than ${Math.round(tolerance / 1000)} s ago`, { field: 'scheduleAt' });
    }
    if (scheduleAt !== undefined && scheduleAt <= createdAt) scheduleAt = undefined;
    const maxAhead = this.options.maxScheduleAheadMs ?? 30 * DAY_MS;
    if (scheduleAt !== undefined && scheduleAt - createdAt > maxAhead) {
      throw gatewayError('GW_SCHEDULE_TOO_FAR', `more than ${Math.round(maxAhead / DAY_MS)} days ahead`, { field: 'scheduleAt' });
    }
    const validityMs = (request.validitySeconds ?? this.options.defaultValiditySeconds ?? 172_800) * 1000;
    return { scheduleAt, expiresAt: (scheduleAt ?? createdAt) + validityMs };
  }
}

/** A batch item's key is `<batch key>\u0000<position>`: the client knows only the batch key. */
function idempotencyConflict(key: string): Error {
  const [clientKey] = key.split('\u0000');
  return gatewayError('GW_IDEMPOTENCY_CONFLICT', `"${clientKey ?? key}" was used with a different request`, { field: 'Idempotency-Key' });
}

function answer(record: MessageRecord, duplicate: boolean): AcceptedMessage {
  const envelope = record.envelope;
  const notBefore = notBeforeOf(record.timeline);
  return {
    id: envelope.id,
    status: record.status,
    to: envelope.to,
    carrier: envelope.carrier,
    carrierSource: envelope.carrierSource,
    route: envelope.routeId,
    connector: envelope.connectors[0] ?? '',
    encoding: envelope.encoded.encoding,
    parts: envelope.encoded.parts.length,
    createdAt: isoTime(envelope.createdAt),
    ...(notBefore === undefined ? {} : { notBefore: isoTime(notBefore) }),
    ...senderAnswer(envelope),
    duplicate,
  };
}

/** Codec refusals name the request field that held what the codec refused (`text`, `binary`, `udh`). */
/** The route's price per segment on each connector, kept so the message's price follows the connector that sent it. */
function pricing(decision: RouteDecision): { prices?: (number | null)[]; currency?: string } {
  if (decision.connectors.every((c) => c.price === undefined)) return {};
  const currency = decision.connectors.find((c) => c.currency !== undefined)?.currency;
  return { prices: decision.connectors.map((c) => c.price ?? null), ...(currency === undefined ? {} : { currency }) };
}

/** Names the request field the codec refused; a part-count refusal also names the carrier whose profile capped it. */
function inField<T>(field: string, encode: () => T, forCarrier?: Readonly<Record<string, unknown>>): T {
  try {
    return encode();
  } catch (error: unknown) {
    if (!(error instanceof CodedError)) throw error;
    throw error.withDetails(error.code === 'CODEC_TOO_MANY_PARTS' && forCarrier !== undefined ? { field, ...forCarrier } : { field });
  }
}
