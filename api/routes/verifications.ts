/**
 * /v1/verifications: one-time codes by SMS. Start (or renew) a verification, check a code by id or by number,
 * read and cancel. Answers never carry the code; a check that could not be evaluated (expired, approved, no
 * attempt left, canceled) is a 4xx with the verification's final `status` in its details.
 */
import type { FastifyInstance } from 'fastify';
import type { VerificationRecord, VerificationService } from '../../gateway/index.ts';
import { accountOf } from '../auth.ts';

const errorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  403: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
  409: { $ref: 'Error#' },
  410: { $ref: 'Error#' },
  422: { $ref: 'Error#' },
  429: { $ref: 'Error#' },
  503: { $ref: 'Error#' },
};

interface StartBody {
  readonly to: string;
  readonly channel?: 'sms';
  readonly locale?: 'ja' | 'en';
  readonly codeLength?: number;
  readonly ttlSeconds?: number;
  readonly template?: string;
  readonly from?: string;
  readonly clientRef?: string;
}

const DATE = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } as const;

export function verificationRoutes(app: FastifyInstance, verifications: VerificationService): void {
  app.get<{ Querystring: { from: string; to: string } }>(
    '/v1/verifications/stats',
    {
      schema: {
        tags: ['verifications'],
        summary: 'Counts of verifications per day: started, sent, approved, failed, max attempts, expired, canceled, refusals by reason',
        description: 'Days are local days of usage.timeZone; a range covers at most 366 days. Never a code or a number.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: { from: { ...DATE, description: 'First day, YYYY-MM-DD (inclusive)' }, to: { ...DATE, description: 'Last day, YYYY-MM-DD (inclusive)' } },
        },
        response: { 200: { $ref: 'VerificationStats#' }, ...errorResponses },
      },
    },
    async (request) => {
      const { accountId: _account, ...stats } = await verifications.stats(accountOf(request).id, request.query.from, request.query.to);
      return stats;
    },
  );

  app.post<{ Body: StartBody }>(
    '/v1/verifications',
    {
      schema: {
        tags: ['verifications'],
        summary: 'Send a one-time code (or a new one to a number with a pending verification)',
        body: { $ref: 'StartVerification#' },
        response: { 201: { $ref: 'Verification#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { channel: _channel, ...input } = request.body;
      const record = await verifications.start(accountOf(request).id, input);
      return reply.code(201).send(verificationView(record, verifications));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/verifications/:id',
    { schema: { tags: ['verifications'], summary: 'A verification (never its code)', response: { 200: { $ref: 'Verification#' }, ...errorResponses } } },
    async (request) => verificationView(await verifications.get(accountOf(request).id, request.params.id), verifications),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/verifications/:id',
    { schema: { tags: ['verifications'], summary: 'Cancel a pending verification', response: { 200: { $ref: 'Verification#' }, ...errorResponses } } },
    async (request) => verificationView(await verifications.cancel(accountOf(request).id, request.params.id), verifications),
  );

  app.post<{ Params: { id: string }; Body: { code: string } }>(
    '/v1/verifications/:id/check',
    {
      schema: {
        tags: ['verifications'],
        summary: 'Check a code: approved, or pending with the attempts left; a wrong last attempt ends it max_attempts_reached',
        body: { $ref: 'CheckVerification#' },
        response: { 200: { $ref: 'VerificationCheck#' }, ...errorResponses },
      },
    },
    async (request) => checkView(await verifications.check(accountOf(request).id, request.params.id, request.body.code), verifications),
  );

  app.post<{ Body: { to: string; code: string } }>(
    '/v1/verification-checks',
    {
      schema: {
        tags: ['verifications'],
        summary: "Check a code against the number's pending verification",
        body: { $ref: 'CheckVerificationByNumber#' },
        response: { 200: { $ref: 'VerificationCheck#' }, ...errorResponses },
      },
    },
    async (request) => checkView(await verifications.checkNumber(accountOf(request).id, request.body.to, request.body.code), verifications),
  );
}

function verificationView(record: VerificationRecord, verifications: VerificationService): Record<string, unknown> {
  return {
    id: record.id,
    to: record.to,
    status: record.status,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
    attemptsLeft: Math.max(0, record.maxAttempts - record.attempts),
    sendsLeft: verifications.sendsLeft(record),
    sends: record.sends,
    locale: record.locale,
    messages: record.messageIds,
    ...(record.clientRef === undefined ? {} : { clientRef: record.clientRef }),
  };
}

function checkView(answer: { readonly record: VerificationRecord; readonly approved: boolean }, verifications: VerificationService): Record<string, unknown> {
  const view = verificationView(answer.record, verifications);
  return answer.record.status === 'max_attempts_reached' ? { ...view, reason: 'VERIFY_MAX_ATTEMPTS' } : view;
}
