/**
 * Signing in to the console through `app.inject`, as a browser would: read a form for its CSRF token and
 * session cookie, post it, keep the cookies. Console tests that are not about the browser use this.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export type ConsoleCredentials = { readonly apiKey: string } | { readonly account: string; readonly name: string; readonly password: string };

export interface ConsoleClient {
  /** GET a console path with the session's cookies. */
  get(path: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** POST a form to a console path with the session's cookies and a CSRF token read from `formPath`. */
  post(path: string, form: Record<string, string>, options?: { formPath?: string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** The cookie header the session holds now. */
  cookie(): string;
}

/** The CSRF token a console page's forms carry. */
export function csrfTokenOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? /"x-csrf-token": "([^"]+)"/.exec(html)?.[1];
  if (token === undefined) throw new Error('the page carries no CSRF token');
  return token;
}

export function consoleClient(app: FastifyInstance): ConsoleClient {
  const jar = new Map<string, string>();
  const keep = (response: LightMyRequestResponse): LightMyRequestResponse => {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0)) jar.delete(cookie.name);
      else jar.set(cookie.name, encodeURIComponent(cookie.value));
    }
    return response;
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const client: ConsoleClient = {
    async get(path, headers = {}) {
      return keep(await app.inject({ method: 'GET', url: path, headers: { cookie: cookie(), ...headers } }));
    },
    async post(path, form, options = {}) {
      const page = await client.get(options.formPath ?? '/console');
      const token = csrfTokenOf(page.body);
      return keep(
        await app.inject({
          method: 'POST',
          url: path,
          headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
          payload: new URLSearchParams({ _csrf: token, ...form }).toString(),
        }),
      );
    },
    cookie,
  };
  return client;
}

/** A client signed in with the credentials; throws with the answer when sign-in fails. */
export async function signedInClient(app: FastifyInstance, credentials: ConsoleCredentials): Promise<ConsoleClient> {
  const client = consoleClient(app);
  const form: Record<string, string> = 'apiKey' in credentials ? { method: 'key', apiKey: credentials.apiKey } : { method: 'password', ...credentials };
  const response = await client.post('/console/sign-in', form, { formPath: '/console/sign-in' });
  if (response.statusCode !== 303) throw new Error(`sign-in answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
  return client;
}
