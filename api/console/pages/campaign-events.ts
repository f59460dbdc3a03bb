/**
 * The live view of a campaign: `GET /console/campaigns/:id/events`, server-sent events read by htmx's SSE
 * extension. Every second the stream reads the campaign (`campaigns.get`, the same read as GET /v1/campaigns/:id,
 * so it follows a campaign run by any process of a deployment) and sends what changed:
 * - `progress`: the progress fragment (state, percent, counts per status, rate, ETA, clicks, times);
 * - `controls`: the action buttons, when the state changed;
 * - `recipients`: a nudge for the recipients table to fetch its page again, when a count changed (and once at the
 *   start, for what changed between the page and the stream);
 * - `done`: once nothing can change any more (the campaign ended and no recipient waits for an outcome), or after
 *   `QUIET_MS` of an ended campaign without change (receipts that never come); the page then closes the stream.
 * A comment goes out every 15 s so that proxies keep the connection. Timers stop when the visitor leaves and when
 * the app closes (preClose, before the server waits for its connections).
 */
import type { FastifyInstance } from 'fastify';
import { isCodedError } from '../../../common/index.ts';
import type { CampaignView } from '../../../gateway/index.ts';
import { consoleOf, signedInOf, viewData } from '../console-context.ts';
import { ACTIONS_BY_STATE, isSettled, progressData } from './campaign-views.ts';
import type { ConsolePageDeps } from './page-deps.ts';

export const POLL_MS = 1_000;
export const HEARTBEAT_MS = 15_000;
const QUIET_MS = 10 * 60_000;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

/** One event's wire form: each line of the data on a `data:` line of its own. */
export function sseEvent(event: string, data: string): string {
  return `event: ${event}\n${data.split(/\r?\n/).map((line) => `data: ${line}`).join('\n')}\n\n`;
}

export function campaignEvents(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { campaigns } = deps.gateway;
  const open = new Set<() => void>();
  const endAll = (): Promise<void> => {
    for (const end of [...open]) end();
    return Promise.resolve();
  };
  app.addHook('preClose', endAll);
  app.addHook('onClose', endAll);

  app.get<{ Params: { id: string } }>('/campaigns/:id/events', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const { account, role } = signedInOf(request);
    const { t } = consoleOf(request);
    // An unknown campaign (or another account's) answers 404 before the stream starts.
    let view: CampaignView = await campaigns.get(account.id, request.params.id);
    const render = async (): Promise<{ progress: string; controls: string }> => {
      const data = viewData(request, reply, { ...progressData(view, t), actions: role === 'operator' ? ACTIONS_BY_STATE[view.state] : [] });
      return { progress: (await app.view('campaign-progress.eta', data)).trim(), controls: (await app.view('campaign-controls.eta', data)).trim() };
    };
    const first = await render();

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const write = (text: string): void => {
      if (!ended) raw.write(text);
    };
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
    const end = (): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      open.delete(end);
      raw.end();
    };
    open.add(end);
    request.raw.on('close', end);
    write('retry: 3000\n\n');

    let lastProgress = '';
    let lastState = view.state;
    let lastCounts = '';
    let quietSince = deps.now();
    /** Sends what changed; true when the stream is done. */
    const publish = (fragments: { progress: string; controls: string }): boolean => {
      if (fragments.progress !== lastProgress) write(sseEvent('progress', fragments.progress));
      if (view.state !== lastState) write(sseEvent('controls', fragments.controls));
      const counts = JSON.stringify(view.counts);
      if (counts !== lastCounts) {
        write(sseEvent('recipients', 'changed'));
        quietSince = deps.now();
      }
      lastProgress = fragments.progress;
      lastState = view.state;
      lastCounts = counts;
      const over = view.state === 'completed' || view.state === 'canceled';
      if (!isSettled(view) && !(over && deps.now() - quietSince >= QUIET_MS)) return false;
      write(sseEvent('done', view.state));
      return true;
    };
    const next = (): void => {
      if (!ended) timer = setTimeout(() => void poll(), POLL_MS);
    };
    const poll = async (): Promise<void> => {
      if (ended) return;
      try {
        view = await campaigns.get(account.id, view.id);
        if (publish(await render())) {
          end();
          return;
        }
      } catch (error: unknown) {
        request.log.warn({ err: error, campaign: view.id }, 'console: campaign events read failed');
        if (isCodedError(error) && error.code === 'CAMPAIGN_NOT_FOUND') {
          end();
          return;
        }
      }
      next();
    };
    if (publish(first)) end();
    else next();
  });
}
