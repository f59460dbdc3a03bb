/**
 * The campaign pages: the account's campaigns (state, counts, progress, created and scheduled times), and one
 * campaign with its live progress (campaign-events.ts), start / pause / resume / cancel (operators, CSRF), its
 * recipients paged and filtered by status, and their CSV export (the API's own export). Every read and change is
 * the campaign service's, for the signed-in account only: another account's campaign is CAMPAIGN_NOT_FOUND.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CampaignService, RecipientFilter } from '../../../gateway/index.ts';
import { recipientsCsv, recipientsCsvName } from '../../routes/campaign-control.ts';
import { consoleOf, requireOperator, signedInOf, viewData } from '../console-context.ts';
import { campaignEvents } from './campaign-events.ts';
import { ACTIONS_BY_STATE, CAMPAIGN_ACTIONS, describeWindow, isSettled, progressData, RECIPIENT_FILTERS } from './campaign-views.ts';
import type { ConsolePageDeps } from './page-deps.ts';

const LIST_LIMIT = 100;
const PAGE_SIZE = 50;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const tableQuery = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['', ...RECIPIENT_FILTERS] }, cursor: { type: 'integer', minimum: 0 }, created: { type: 'string', maxLength: 8 } },
} as const;

interface TableQuery {
  readonly status?: '' | RecipientFilter;
  readonly cursor?: number;
  readonly created?: string;
}

/** The recipients table of one page: its filter, where it starts, its rows and where the next page starts. */
export async function recipientsTable(campaigns: CampaignService, accountId: string, id: string, query: TableQuery): Promise<Record<string, unknown>> {
  const status = query.status === '' ? undefined : query.status;
  const cursor = query.cursor ?? 0;
  const page = await campaigns.recipients(accountId, id, { limit: PAGE_SIZE, cursor, ...(status === undefined ? {} : { status }) });
  const params = (at: number | undefined): string => {
    const search = new URLSearchParams();
    if (status !== undefined) search.set('status', status);
    if (at !== undefined && at > 0) search.set('cursor', String(at));
    const text = search.toString();
    return text === '' ? '' : `?${text}`;
  };
  return { campaignId: id, status: status ?? '', cursor, items: page.items, filters: RECIPIENT_FILTERS, self: params(cursor), next: page.nextCursor === undefined ? undefined : params(page.nextCursor), first: cursor > 0 ? params(undefined) : undefined };
}

function html(reply: FastifyReply): FastifyReply {
  return reply.type('text/html; charset=utf-8');
}

export function campaignsPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { campaigns } = deps.gateway;
  const csrfProtection = app.csrfProtection.bind(app);

  app.get('/campaigns', { schema: { hide: true } }, async (request, reply) => {
    const { account } = signedInOf(request);
    return html(reply).viewAsync('campaigns.eta', viewData(request, reply, { campaigns: await campaigns.list(account.id, LIST_LIMIT) }));
  });

  app.get<{ Params: { id: string }; Querystring: TableQuery }>('/campaigns/:id', { schema: { hide: true, params: idParams, querystring: tableQuery } }, async (request, reply) => {
    const { account, role } = signedInOf(request);
    const { t } = consoleOf(request);
    const view = await campaigns.get(account.id, request.params.id);
    const table = await recipientsTable(campaigns, account.id, view.id, request.query);
    const { options } = view;
    return html(reply).viewAsync(
      'campaign.eta',
      viewData(request, reply, {
        ...progressData(view, t),
        actions: role === 'operator' ? ACTIONS_BY_STATE[view.state] : [],
        live: !isSettled(view),
        created: request.query.created === '1',
        table,
        window: describeWindow(options.sendWindow, t),
      }),
    );
  });

  app.get<{ Params: { id: string }; Querystring: TableQuery }>('/campaigns/:id/recipients', { schema: { hide: true, params: idParams, querystring: tableQuery } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const table = await recipientsTable(campaigns, account.id, request.params.id, request.query);
    return html(reply).viewAsync('campaign-recipients.eta', viewData(request, reply, { table }));
  });

  app.get<{ Params: { id: string }; Querystring: TableQuery }>('/campaigns/:id/recipients.csv', { schema: { hide: true, params: idParams, querystring: tableQuery } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const status = request.query.status === '' ? undefined : request.query.status;
    const csv = await recipientsCsv(campaigns, account.id, request.params.id, status);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${recipientsCsvName(request.params.id)}"`).send(csv);
  });

  for (const action of CAMPAIGN_ACTIONS) {
    app.post<{ Params: { id: string } }>(`/campaigns/:id/${action}`, { schema: { hide: true, params: idParams }, preHandler: [csrfProtection, requireOperator] }, async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const { account } = signedInOf(request);
      const { id } = request.params;
      const after = action === 'cancel' ? await campaigns.cancel(account.id, id) : await campaigns.control(account.id, id, action);
      request.log.info({ campaign: id, action, state: after.state }, 'console: campaign state changed');
      return reply.redirect(`/console/campaigns/${encodeURIComponent(id)}`, 303);
    });
  }

  campaignEvents(app, deps);
}
