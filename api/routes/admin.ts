/**
 * The admin API (`server.adminTokenHash` set): `POST /v1/admin/reload` runs what SIGHUP runs and tells what
 * changed; `GET /v1/admin/accounts` lists the accounts in force. Neither answer holds a key, a key hash or a
 * secret: accounts are summarized (ids, setting names, key counts). Off (no hash), both paths answer 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCodedError, maskDigits } from '../../common/index.ts';
import { summarizeAccount, type AccountChanges, type GatewayServices } from '../../gateway/index.ts';
import type { AdminAuth } from '../admin-auth.ts';
import { apiError } from '../errors.ts';
import { adminAccountsSchema, adminReloadSchema } from '../schemas.ts';

/** What a reload reports; the running gateway's `reload()` answers this. */
export type AdminReloadResult =
  | {
      readonly ok: true;
      readonly version: string;
      readonly ported?: number;
      readonly accounts?: AccountChanges;
      /** Sections that differ from those in force but take a restart (connectors, dispatch, server, ...). */
      readonly restartNeeded?: readonly string[];
    }
  | { readonly ok: false; readonly error: unknown };

export interface AdminSettings {
  readonly auth: AdminAuth;
  /** Absent when nothing can be reloaded (no file): the reload path answers 404. */
  readonly reload?: () => Promise<AdminReloadResult>;
}

export function adminRoutes(app: FastifyInstance, gateway: Pick<GatewayServices, 'accounts'>, admin: AdminSettings): void {
  const onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    admin.auth.check(request, reply);
  };
  app.post(
    '/v1/admin/reload',
    { onRequest, schema: { tags: ['admin'], summary: 'Reload accounts, routing and portability data from the configuration file (as SIGHUP)', response: { 200: adminReloadSchema, 404: { $ref: 'Error#' }, 422: { $ref: 'Error#' } } } },
    async (request) => {
      if (admin.reload === undefined) throw apiError('API_NOT_FOUND', 'the gateway runs from no configuration file: nothing to reload');
      const result = await admin.reload();
      if (!result.ok) {
        const { error } = result;
        const coded = isCodedError(error);
        request.log.warn({ code: coded ? error.code : undefined }, 'admin reload refused; the configuration in force stays');
        throw apiError('API_RELOAD_REFUSED', maskDigits(error instanceof Error ? error.message : String(error)), {
          refusedBy: coded ? error.code : 'UNKNOWN',
          ...(coded && typeof error.details?.field === 'string' ? { field: error.details.field } : {}),
        });
      }
      request.log.info({ version: result.version, accounts: result.accounts }, 'configuration reloaded (admin API)');
      return {
        version: result.version,
        ...(result.ported === undefined ? {} : { ported: result.ported }),
        ...(result.accounts === undefined ? {} : { accounts: result.accounts }),
        restartNeeded: result.restartNeeded ?? [],
      };
    },
  );
  app.get(
    '/v1/admin/accounts',
    { onRequest, schema: { tags: ['admin'], summary: 'The accounts in force, without keys, hashes or secrets', response: { 200: adminAccountsSchema, 404: { $ref: 'Error#' } } } },
    async () => Promise.resolve({ items: gateway.accounts.all().map(summarizeAccount) }),
  );
}
