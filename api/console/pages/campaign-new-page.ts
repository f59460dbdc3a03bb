/**
 * The new-campaign page: a CSV uploaded, its columns read (the phone column chosen, the others offered as
 * variables to put into the template), the sending choices, a preview, then create. Each step is one call of the
 * services the API calls: `campaignInput.columns` (POST /v1/campaigns/columns), `campaignInput.preview`
 * (POST /v1/campaigns/preview) and `campaigns.create` (POST /v1/campaigns), with the form turned into the API's
 * own form first (campaign-form.ts). Operators only; every step is a CSRF-checked POST (htmx sends the token in a
 * header, which is read before the upload is).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountConfig, CampaignSource, PreviewAnswer } from '../../../gateway/index.ts';
import { consoleOf, requireOperator, signedInOf, viewData } from '../console-context.ts';
import { createOptionsOfForm, field, postedFile, previewDigest, readPostedForm, registerUploads, rowsRequestOf, WINDOW_DAYS, type PostedForm } from './campaign-form.ts';
import { describeWindow, priceTexts } from './campaign-views.ts';
import type { ConsolePageDeps } from './page-deps.ts';

const SAMPLE_ROWS = 10;

function csvSource(form: PostedForm, encoding: string | undefined): Extract<CampaignSource, { kind: 'csv' }> {
  return { kind: 'csv', octets: [postedFile(form)], ...(encoding === undefined ? {} : { encoding }) };
}

function html(reply: FastifyReply): FastifyReply {
  return reply.type('text/html; charset=utf-8');
}

/** The senders an operator is likely to choose: the account's default and its numbers. */
function senders(account: AccountConfig): string[] {
  return [...new Set([...(account.defaultSender === undefined ? [] : [account.defaultSender]), ...(account.numbers ?? [])])];
}

export function campaignNewPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { gateway } = deps;
  const csrfProtection = app.csrfProtection.bind(app);
  const guarded = { schema: { hide: true }, preHandler: [csrfProtection, requireOperator] };

  app.get('/campaigns/new', { schema: { hide: true }, preHandler: requireOperator }, async (request, reply) => {
    const { account } = signedInOf(request);
    return html(reply).viewAsync(
      'campaign-new.eta',
      viewData(request, reply, { senders: senders(account), accountWindow: describeWindow(account.sendWindow, consoleOf(request).t), days: WINDOW_DAYS }),
    );
  });

  void app.register(async (scope) => {
    await registerUploads(scope);

    scope.post('/campaigns/new/columns', guarded, async (request, reply) => {
      const form = await readPostedForm(request);
      const encoding = field(form, 'encoding');
      const columns = await gateway.campaignInput.columns(csvSource(form, encoding === '' || encoding === 'auto' ? undefined : encoding));
      return html(reply).viewAsync('campaign-new-columns.eta', viewData(request, reply, { columns }));
    });

    scope.post('/campaigns/new/preview', guarded, async (request, reply) => {
      const { account } = signedInOf(request);
      const form = await readPostedForm(request);
      const { request: rows, encoding } = rowsRequestOf(form);
      const preview: PreviewAnswer = await gateway.campaignInput.preview(account, csvSource(form, encoding), rows, { sampleRows: SAMPLE_ROWS });
      return html(reply).viewAsync('campaign-new-preview.eta', previewView(request, reply, preview, previewDigest(form)));
    });

    scope.post('/campaigns', guarded, async (request, reply) => {
      const { account } = signedInOf(request);
      const form = await readPostedForm(request);
      const { request: rows, encoding } = rowsRequestOf(form);
      // What is created must be what was previewed: the same file and the same fields that decide the rows.
      if (field(form, 'previewDigest') !== previewDigest(form)) {
        return html(reply).code(409).viewAsync('campaign-new-stale.eta', viewData(request, reply));
      }
      const options = createOptionsOfForm(form, account.timeZone ?? gateway.usage.calendar.timeZone);
      const { campaign } = await gateway.campaigns.create(account, csvSource(form, encoding), rows, options);
      request.log.info({ campaign: campaign.id, recipients: campaign.recipients, state: campaign.state }, 'console: campaign created');
      return reply.code(201).header('hx-redirect', `/console/campaigns/${campaign.id}?created=1`).send('');
    });
  });
}

function previewView(request: FastifyRequest, reply: FastifyReply, preview: PreviewAnswer, digest: string): Record<string, unknown> {
  return viewData(request, reply, {
    preview,
    digest,
    sampleRows: SAMPLE_ROWS,
    prices: priceTexts(preview.price, request),
    carriers: Object.entries(preview.carriers).sort((a, b) => b[1] - a[1]),
    refusals: Object.entries(preview.refusals).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0)),
  });
}
