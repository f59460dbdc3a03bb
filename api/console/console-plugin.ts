/**
 * The web console at /console: server-rendered pages (Eta templates, htmx for partial updates and server-sent
 * events for live ones) over the same gateway services the API uses. Sessions are sealed cookies
 * (@fastify/secure-session: HttpOnly, SameSite=Lax, Secure), so any process of a deployment that shares
 * `console.sessionSecret` reads them; every form and htmx request carries a CSRF token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import secureSession from '@fastify/secure-session';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../gateway/index.ts';
import { registerConsoleAssets } from './console-assets.ts';
import { buildContext, type SignedIn } from './console-context.ts';
import { installConsoleErrors } from './console-errors.ts';
import { CONSOLE_PAGES, type ConsolePageDeps } from './pages/index.ts';

export interface ConsoleSettings {
  /** Seals session cookies; without one each process draws a random key (sessions end at restart). */
  readonly sessionSecret?: string;
  readonly sessionTtlMinutes?: number;
  readonly secureCookie?: boolean;
}

export interface ConsolePluginOptions {
  readonly gateway: GatewayServices;
  readonly settings: ConsoleSettings;
  readonly now: () => number;
}

export const SESSION_COOKIE = 'smsgw_console';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
} as const;

export async function consolePlugin(app: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const { gateway, settings, now } = options;
  await app.register(formbody);
  await app.register(secureSession, {
    cookieName: SESSION_COOKIE,
    // A 32-byte key: from the shared secret when there is one, so every process opens every session.
    key: settings.sessionSecret === undefined ? randomBytes(32) : createHash('sha256').update(`smsgw-console:${settings.sessionSecret}`).digest(),
    expiry: (settings.sessionTtlMinutes ?? 480) * 60,
    cookie: { path: '/console', httpOnly: true, sameSite: 'lax', secure: settings.secureCookie ?? true },
  });
  await app.register(csrf, { sessionPlugin: '@fastify/secure-session' });
  await app.register(view, {
    engine: { eta: new Eta({ autoEscape: true, autoTrim: false }) },
    root: fileURLToPath(new URL('./views', import.meta.url)),
    production: true,
  });
  registerConsoleAssets(app);

  const defaultTimeZone = gateway.usage.calendar.timeZone;
  app.decorateRequest('consoleContext', null);
  app.addHook('onRequest', async (request, reply) => {
    void reply.headers(SECURITY_HEADERS);
    const identity = request.session.get('identity');
    let signedIn: SignedIn | undefined;
    if (identity !== undefined) {
      const current = gateway.consoleSignIn.current(identity, request.ip);
      // The account, the user or the address is no longer allowed: the session ends here.
      if (current === undefined) request.session.delete();
      else signedIn = { identity: { ...identity, role: current.role }, account: current.account, role: current.role };
    }
    request.consoleContext = buildContext(request, signedIn, defaultTimeZone);
  });
  installConsoleErrors(app);
  const deps: ConsolePageDeps = { gateway, now };
  for (const register of CONSOLE_PAGES) register(app, deps);
}
