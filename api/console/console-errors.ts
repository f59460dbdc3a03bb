/**
 * Errors on console routes answer as pages (or as fragments to htmx), in the visitor's language, with the same
 * codes and HTTP statuses the API uses. A request whose session ended goes to sign-in instead.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCodedError, maskDigits } from '../../common/index.ts';
import { httpStatusFor } from '../errors.ts';
import { isFragmentRequest, viewData } from './console-context.ts';

/** @fastify/csrf-protection's refusals, answered as API_CSRF_INVALID. */
const CSRF_CODES: ReadonlySet<string> = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);

export function codeOfConsoleError(error: FastifyError): string {
  if (CSRF_CODES.has(error.code)) return 'API_CSRF_INVALID';
  if (isCodedError(error)) return error.code;
  if (error.validation !== undefined) return 'API_INVALID_BODY';
  if (typeof error.statusCode === 'number' && error.statusCode === 404) return 'API_NOT_FOUND';
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return 'API_INVALID_BODY';
  return 'API_INTERNAL';
}

export function signInLocation(request: FastifyRequest): string {
  const next = request.method === 'GET' && !isFragmentRequest(request) ? `?next=${encodeURIComponent(request.url)}` : '';
  return `/console/sign-in${next}`;
}

export function installConsoleErrors(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const code = codeOfConsoleError(error);
    if (code === 'API_CONSOLE_SIGNED_OUT') return toSignIn(request, reply);
    const status = code === 'API_INVALID_BODY' && error.statusCode !== undefined ? error.statusCode : httpStatusFor(code);
    if (status >= 500) request.log.error({ err: error }, 'console request failed');
    const retryAfter = (error as { details?: { retryAfter?: unknown } }).details?.retryAfter;
    if (typeof retryAfter === 'number' && retryAfter > 0) void reply.header('retry-after', String(retryAfter));
    // The message the visitor reads comes from the catalogue; the error's own text (never a secret) is the detail.
    const detail = isCodedError(error) && error.message !== '' ? maskDigits(error.message) : undefined;
    const template = isFragmentRequest(request) ? 'error-fragment.eta' : 'error.eta';
    return reply.code(status).type('text/html; charset=utf-8').viewAsync(template, viewData(request, reply, { code, status, detail }));
  });
  app.setNotFoundHandler(async (request, reply) => {
    return reply.code(404).type('text/html; charset=utf-8').viewAsync('error.eta', viewData(request, reply, { code: 'API_NOT_FOUND', status: 404 }));
  });
}

async function toSignIn(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const location = signInLocation(request);
  if (isFragmentRequest(request)) return reply.code(401).header('hx-redirect', location).send('');
  if (request.method === 'GET') return reply.code(303).header('location', location).send('');
  return reply.code(401).type('text/html; charset=utf-8').viewAsync('error.eta', viewData(request, reply, { code: 'API_CONSOLE_SIGNED_OUT', status: 401 }));
}
