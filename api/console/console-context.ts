/**
 * What every console page knows about its request: the language and its translations, the formats of the
 * account's time zone, the signed-in identity (re-checked against the accounts in force on every request) and
 * the CSRF token its forms carry. Pages get it from `consoleOf(request)` and hand `viewData` to their template.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import type { AccountConfig, ConsoleIdentity, ConsoleRole } from '../../gateway/index.ts';
import { apiError } from '../errors.ts';
import { consoleFormat, type ConsoleFormat } from './console-format.ts';
import { negotiateLanguage, translator, type ConsoleLanguage } from './console-i18n.ts';
import { CONSOLE_NAV } from './console-nav.ts';

export interface SignedIn {
  readonly identity: ConsoleIdentity;
  readonly account: AccountConfig;
  readonly role: ConsoleRole;
}

export interface ConsoleContext {
  readonly lang: ConsoleLanguage;
  readonly t: TFunction;
  readonly fmt: ConsoleFormat;
  /** Absent on the sign-in page and for visitors whose session ended. */
  readonly signedIn: SignedIn | undefined;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    identity: ConsoleIdentity;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleContext: ConsoleContext | null;
  }
}

export const LANGUAGE_COOKIE = 'smsgw_lang';

export function buildContext(request: FastifyRequest, signedIn: SignedIn | undefined, defaultTimeZone: string): ConsoleContext {
  const lang = negotiateLanguage(request.cookies[LANGUAGE_COOKIE], request.headers['accept-language']);
  return { lang, t: translator(lang), fmt: consoleFormat(lang, signedIn?.account.timeZone ?? defaultTimeZone), signedIn };
}

export function consoleOf(request: FastifyRequest): ConsoleContext {
  if (request.consoleContext === null) throw new Error('console context read outside the console');
  return request.consoleContext;
}

/** The signed-in identity, or API_CONSOLE_SIGNED_OUT (the error handler sends pages to sign-in). */
export function signedInOf(request: FastifyRequest): SignedIn {
  const signedIn = consoleOf(request).signedIn;
  if (signedIn === undefined) throw apiError('API_CONSOLE_SIGNED_OUT');
  return signedIn;
}

/** A preHandler for what changes state: viewers read only. */
export function requireOperator(request: FastifyRequest): Promise<void> {
  if (signedInOf(request).role !== 'operator') return Promise.reject(apiError('API_ROLE_FORBIDDEN'));
  return Promise.resolve();
}

/** Whether the request came from htmx (it wants a fragment, not a whole page). */
export function isFragmentRequest(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true';
}

/** The data every template reads, plus the page's own. */
export function viewData(request: FastifyRequest, reply: FastifyReply, page: Record<string, unknown> = {}): Record<string, unknown> {
  const context = consoleOf(request);
  return {
    ...page,
    lang: context.lang,
    t: context.t,
    fmt: context.fmt,
    signedIn: context.signedIn,
    csrf: reply.generateCsrf(),
    path: request.url.split('?')[0] ?? '',
    nav: CONSOLE_NAV,
  };
}
