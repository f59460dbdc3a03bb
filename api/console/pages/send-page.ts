/**
 * Send one message (operators): recipient, sender (the account's default when left empty), text. As the operator
 * types, htmx asks the server for the counter (characters, encoding, parts under the recipient carrier's rules,
 * warnings) and for the recipient's carrier and route; both come from the messages service's quote, which runs the
 * accept path's own router, suppression check and codec, so the browser counts nothing itself. Sending goes
 * through the messages service as POST /v1/messages does (suppression list, send window, quotas, idempotency):
 * each form carries an Idempotency-Key, so a double click or a resent form sends once.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCodedError, maskDigits, type CodedError } from '../../../common/index.ts';
import type { AcceptedMessage, MessageQuote, SubmitRequest } from '../../../gateway/index.ts';
import { httpStatusFor } from '../../errors.ts';
import { submitBodySchema } from '../../schemas.ts';
import { isFragmentRequest, signedInOf, requireOperator, viewData } from '../console-context.ts';
import type { ConsolePageDeps } from './page-deps.ts';

/** The send form as the browser posts it (every field a string; a checkbox is absent when off). */
export interface SendForm {
  readonly to?: string;
  readonly from?: string;
  readonly text?: string;
  readonly smart?: string;
  readonly idempotencyKey?: string;
}

const props = submitBodySchema.properties;
/** The same limits as POST /v1/messages (its schema), empty fields allowed: the service names what is missing. */
const sendFormSchema = {
  type: 'object',
  properties: {
    to: { type: 'string', maxLength: props.to.maxLength },
    from: { type: 'string', maxLength: props.from.maxLength },
    text: { type: 'string', maxLength: props.text.maxLength },
    smart: { type: 'string', maxLength: 8 },
    idempotencyKey: { type: 'string', maxLength: 200 },
    _csrf: { type: 'string' },
  },
} as const;

/** A refusal as the page shows it: the code (its text comes from the catalogue), the HTTP status, the details. */
interface Refusal {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;
  /** The error's own text, digits masked (it may name the number). */
  readonly detail: string;
}

function refusalOf(error: CodedError): Refusal {
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  return { code: error.code, status: httpStatusFor(error.code), field, details: error.details, detail: maskDigits(error.message) };
}

/** Whether a refusal belongs to the text (the counter shows it) rather than to the recipient or sender. */
function isTextRefusal(refusal: Refusal): boolean {
  return refusal.field === 'text' || refusal.code.startsWith('CODEC_');
}

function trimmed(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** The submit request of the form: empty recipient and sender are left out (the account's default sender applies). */
export function sendRequestOf(form: SendForm): SubmitRequest {
  const from = trimmed(form.from);
  return {
    to: form.to?.trim() ?? '',
    ...(from === undefined ? {} : { from }),
    // The text goes as typed (spaces and line breaks are content); an empty one is the service's refusal.
    ...(form.text === undefined ? {} : { text: form.text.replace(/\r\n/g, '\n') }),
    ...(form.smart === undefined ? {} : { smart: true }),
  };
}

export function sendPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { gateway } = deps;
  const csrfProtection = app.csrfProtection.bind(app);
  const operatorOnly = { schema: { hide: true, body: sendFormSchema }, preHandler: [csrfProtection, requireOperator] };
  const html = (reply: FastifyReply): FastifyReply => reply.type('text/html; charset=utf-8');

  /** The quote of what the form holds now; nothing when it holds nothing yet. */
  const quoteOf = async (request: FastifyRequest, form: SendForm): Promise<QuoteView> => {
    const submit = sendRequestOf(form);
    const hasTo = submit.to !== '';
    const hasText = (submit.text ?? '') !== '';
    if (!hasTo && !hasText) return { hasTo, hasText, textRefusals: [], routeRefusals: [] };
    const quote: MessageQuote = await gateway.messages.quote(signedInOf(request).account, submit);
    const refusals = quote.refusals.map(refusalOf);
    return {
      hasTo,
      hasText,
      ...(quote.route === undefined ? {} : { route: quote.route }),
      ...(quote.encoding === undefined ? {} : { encoding: quote.encoding }),
      // An empty text or recipient is not yet a mistake: the form says what to fill in instead.
      textRefusals: hasText ? refusals.filter(isTextRefusal) : [],
      routeRefusals: hasTo ? refusals.filter((r) => !isTextRefusal(r)) : [],
    };
  };

  const page = (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown>) =>
    html(reply).viewAsync('send.eta', viewData(request, reply, { defaultSender: signedInOf(request).account.defaultSender, ...extra }));

  app.get('/send', { schema: { hide: true } }, async (request, reply) => {
    const { role } = signedInOf(request);
    if (role !== 'operator') return page(request, reply, { canSend: false });
    return page(request, reply, { canSend: true, values: {}, idempotencyKey: randomUUID(), quote: await quoteOf(request, {}) });
  });

  // The live counter: on every pause in typing (htmx, 150 ms).
  app.post<{ Body: SendForm }>('/send/counter', operatorOnly, async (request, reply) => {
    const quote = await quoteOf(request, request.body ?? {});
    return html(reply).viewAsync('send-counter.eta', viewData(request, reply, { quote }));
  });

  // The recipient's carrier and route, and the counter again out of band (the carrier's rules change the parts).
  app.post<{ Body: SendForm }>('/send/route', operatorOnly, async (request, reply) => {
    const quote = await quoteOf(request, request.body ?? {});
    return html(reply).viewAsync('send-route.eta', viewData(request, reply, { quote, withCounter: true }));
  });

  app.post<{ Body: SendForm }>('/send', operatorOnly, async (request, reply) => {
    const form = request.body ?? {};
    const { account, identity } = signedInOf(request);
    const key = trimmed(form.idempotencyKey);
    let accepted: AcceptedMessage | undefined;
    let refusal: Refusal | undefined;
    try {
      accepted = await gateway.messages.submit(account, sendRequestOf(form), key);
      request.log.info({ messageId: accepted.id, account: account.id, user: identity.user, parts: accepted.parts, duplicate: accepted.duplicate }, 'console send accepted');
    } catch (error: unknown) {
      if (!isCodedError(error)) throw error;
      refusal = refusalOf(error);
      request.log.info({ code: error.code, account: account.id, user: identity.user }, 'console send refused');
      const retryAfter = error.details.retryAfter;
      if (typeof retryAfter === 'number' && retryAfter > 0) void reply.header('retry-after', String(Math.ceil(retryAfter)));
    }
    // A sent form gets a fresh key for the next message; a refused one keeps its key (nothing was stored under it).
    const nextKey = accepted === undefined ? (key ?? randomUUID()) : randomUUID();
    const result = { accepted, refusal };
    void reply.code(refusal?.status ?? 200);
    if (isFragmentRequest(request)) return html(reply).viewAsync('send-result.eta', viewData(request, reply, { result, nextKey, oobKey: true }));
    const values = { to: form.to ?? '', from: form.from ?? '', text: form.text ?? '', smart: form.smart !== undefined };
    return page(request, reply, { canSend: true, values, idempotencyKey: nextKey, result, quote: await quoteOf(request, form).catch(() => emptyQuote) });
  });
}

/** What the counter and route fragments read. */
interface QuoteView {
  readonly hasTo: boolean;
  readonly hasText: boolean;
  readonly route?: MessageQuote['route'];
  readonly encoding?: MessageQuote['encoding'];
  readonly textRefusals: readonly Refusal[];
  readonly routeRefusals: readonly Refusal[];
}

const emptyQuote: QuoteView = { hasTo: false, hasText: false, textRefusals: [], routeRefusals: [] };
