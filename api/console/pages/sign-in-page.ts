/**
 * Signing in (a console user's name and password, or an API key), signing out, and the language switch. A
 * successful sign-in starts a fresh session (the anonymous one's CSRF secret does not carry over) and goes to
 * the page asked for, which must be a console path (no open redirect).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCodedError } from '../../../common/index.ts';
import type { ConsoleIdentity } from '../../../gateway/index.ts';
import { consoleOf, LANGUAGE_COOKIE, viewData } from '../console-context.ts';
import { isConsoleLanguage } from '../console-i18n.ts';
import type { ConsolePageDeps } from './page-deps.ts';

interface SignInBody {
  readonly method?: string;
  readonly account?: string;
  readonly name?: string;
  readonly password?: string;
  readonly apiKey?: string;
  readonly next?: string;
}

/** A console path to go to after signing in or switching language; anything else goes home. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(?:[/?#]|$)/.test(next) && !next.startsWith('//') && !next.includes('\\') ? next : '/console';
}

export function signInPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { gateway, now } = deps;
  const csrfProtection = app.csrfProtection.bind(app);
  const showForm = (request: FastifyRequest, reply: FastifyReply, page: Record<string, unknown>) =>
    reply.type('text/html; charset=utf-8').viewAsync('sign-in.eta', viewData(request, reply, page));

  app.get<{ Querystring: { next?: string } }>('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    if (consoleOf(request).signedIn !== undefined) return reply.redirect(safeNext(request.query.next), 303);
    return showForm(request, reply, { next: safeNext(request.query.next), values: {} });
  });

  app.post<{ Body: SignInBody }>('/sign-in', { schema: { hide: true }, preHandler: csrfProtection }, async (request, reply) => {
    const body = request.body ?? {};
    const next = safeNext(body.next);
    let identity: ConsoleIdentity;
    try {
      identity =
        body.method === 'key'
          ? await gateway.consoleSignIn.withApiKey(body.apiKey ?? '', request.ip, now())
          : await gateway.consoleSignIn.withPassword(body.account ?? '', body.name ?? '', body.password ?? '', request.ip, now());
    } catch (error: unknown) {
      if (!isCodedError(error) || (error.code !== 'GW_SIGN_IN_FAILED' && error.code !== 'GW_SIGN_IN_LIMITED')) throw error;
      const limited = error.code === 'GW_SIGN_IN_LIMITED';
      request.log.info({ code: error.code, account: body.account }, 'console sign-in refused');
      const retryAfter = (error.details as { retryAfter?: number } | undefined)?.retryAfter;
      if (limited && retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
      // The form comes back with what was typed, except secrets.
      return reply.code(limited ? 429 : 401).type('text/html; charset=utf-8').viewAsync(
        'sign-in.eta',
        viewData(request, reply, { next, method: body.method === 'key' ? 'key' : 'password', refused: error.code, values: { account: body.account ?? '', name: body.name ?? '' } }),
      );
    }
    request.session.regenerate();
    request.session.set('identity', identity);
    request.log.info({ account: identity.accountId, role: identity.role }, 'console sign-in');
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', { schema: { hide: true }, preHandler: csrfProtection }, async (request, reply) => {
    request.session.delete();
    return reply.redirect('/console/sign-in', 303);
  });

  // A preference, not a change of state: a plain link sets it, and it goes back where the visitor was.
  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/lang/:lang', { schema: { hide: true } }, async (request, reply) => {
    if (isConsoleLanguage(request.params.lang)) {
      void reply.setCookie(LANGUAGE_COOKIE, request.params.lang, { path: '/console', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86_400 });
    }
    return reply.redirect(safeNext(request.query.next), 303);
  });
}
