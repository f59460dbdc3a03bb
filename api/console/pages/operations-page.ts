/**
 * The operations page (/console/operations): every connector's links (up, connecting, down, since when),
 * throughput against its TPS ceiling, route queue backlog, bind slots held by this process, by others and by none,
 * and window in flight, each modem's IMEI, SIM, network,
 * signal and daily cap, and the signed-in account's recent failures with their codes. Connector data is the
 * deployment's and every signed-in user reads it; failures are the account's own. The same reads as
 * GET /v1/connectors and GET /v1/failures.
 *
 * Live: /console/operations/events is a server-sent event stream (htmx's SSE extension swaps its fragments in).
 * Every few seconds it sends the connector table (`connectors`), and the summary line (`summary`, an
 * aria-live region) and the failures (`failures`) when they changed; a link going up or down sends at once. A
 * comment every 15 s keeps proxies from closing a quiet stream. The stream ends when the browser leaves, when
 * the session's user or account is no longer allowed, and when the app closes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConnectorsSnapshot, RecentFailure } from '../../../gateway/index.ts';
import { consoleOf, signedInOf, viewData, type SignedIn } from '../console-context.ts';
import type { ConsolePageDeps } from './page-deps.ts';

/** How often the stream sends the connector table. */
export const OPERATIONS_TICK_MS = 3_000;
export const HEARTBEAT_MS = 15_000;
/** Failed parts the page lists. */
const FAILURES_SHOWN = 20;

/** The page's own security headers on the hijacked stream (the console's hook set them on the reply, which is bypassed). */
const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'x-content-type-options': 'nosniff',
  // A buffering proxy (nginx) would hold the events back.
  'x-accel-buffering': 'no',
} as const;

interface Fragments {
  readonly connectors: string;
  readonly summary: string;
  readonly failures: string;
}

export function operationsPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { gateway } = deps;
  const streams = new Set<() => void>();
  // Streams end before the server waits for its connections to close (an open stream would hold it forever).
  app.addHook('preClose', (done) => {
    for (const end of [...streams]) end();
    done();
  });

  /** What the fragments show, rendered in the request's language and zone. */
  const render = async (request: FastifyRequest, signedIn: SignedIn, parts: { readonly connectors?: boolean; readonly failures?: boolean }): Promise<Partial<Fragments>> => {
    const context = consoleOf(request);
    const data = { t: context.t, fmt: context.fmt, lang: context.lang };
    const out: { -readonly [K in keyof Fragments]?: string } = {};
    if (parts.connectors === true) {
      const snapshot = await gateway.operations.connectors();
      out.connectors = await app.view('operations-connectors.eta', { ...data, snapshot });
      out.summary = await app.view('operations-summary.eta', { ...data, summary: summaryOf(snapshot) });
    }
    if (parts.failures === true) {
      const failures = await gateway.operations.recentFailures(signedIn.account.id, { limit: FAILURES_SHOWN });
      out.failures = await app.view('operations-failures.eta', { ...data, failures, rawText });
    }
    return out;
  };

  app.get('/operations', { schema: { hide: true } }, async (request, reply) => {
    const signedIn = signedInOf(request);
    const fragments = await render(request, signedIn, { connectors: true, failures: true });
    return reply.type('text/html; charset=utf-8').viewAsync('operations.eta', viewData(request, reply, { fragments, tickSeconds: OPERATIONS_TICK_MS / 1000 }));
  });

  app.get('/operations/events', { schema: { hide: true } }, async (request, reply) => {
    const signedIn = signedInOf(request);
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, STREAM_HEADERS);
    // Ask the browser to come back after 5 s when the stream breaks (a restart, a proxy's timeout).
    out.write('retry: 5000\n\n');
    const sent: { summary?: string; failures?: string } = {};
    let ended = false;
    let busy = false;
    let again = false;
    let soon: NodeJS.Timeout | undefined;

    const send = (event: keyof Fragments, html: string): void => {
      out.write(`event: ${event}\n${html.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`);
    };
    const tick = async (): Promise<void> => {
      if (ended) return;
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        // A user or an account removed, or an address no longer allowed, ends the stream as it ends the session.
        if (gateway.consoleSignIn.current(signedIn.identity, request.ip) === undefined) {
          end();
          return;
        }
        const fragments = await render(request, signedIn, { connectors: true, failures: true });
        if (ended) return;
        send('connectors', fragments.connectors ?? '');
        if (fragments.summary !== sent.summary) send('summary', (sent.summary = fragments.summary ?? ''));
        if (fragments.failures !== sent.failures) send('failures', (sent.failures = fragments.failures ?? ''));
      } catch (error: unknown) {
        // A store that does not answer now may answer at the next tick; the page keeps what it shows.
        request.log.warn({ err: error }, 'console operations stream: tick failed');
      } finally {
        busy = false;
        if (again && !ended) {
          again = false;
          void tick();
        }
      }
    };
    const timer = setInterval(() => void tick(), OPERATIONS_TICK_MS);
    const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);
    // A link going up or down is shown at once (a burst of changes is one update).
    const unsubscribe = gateway.operations.onLinkChange(() => {
      soon ??= setTimeout(() => {
        soon = undefined;
        void tick();
      }, 100);
    });
    function end(): void {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      clearInterval(heartbeat);
      if (soon !== undefined) clearTimeout(soon);
      unsubscribe();
      streams.delete(end);
      out.end();
    }
    streams.add(end);
    request.raw.on('close', end);
    out.on('error', end);
    // The first tick sends every fragment: the page may have been rendered a moment before something changed.
    await tick();
  });
}

/** The summary line: connectors up, degraded and down, and the modems up. */
export function summaryOf(snapshot: ConnectorsSnapshot): { up: number; degraded: number; down: number; total: number } {
  const count = (status: string): number => snapshot.connectors.filter((connector) => connector.status === status).length;
  return { up: count('up'), degraded: count('degraded'), down: count('down'), total: snapshot.connectors.length };
}

/**
 * The carrier's raw values of a failed part as an operator reads them in the carrier's own terms: SMPP
 * `command_status=0x0000000B`, `stat=UNDELIV err=001`, `network_error_code=030001`, `message_state=5`; modem
 * `+CMS ERROR: 500`, `+CME ERROR: 10`, `TP-Status=0x46`.
 */
export function rawText(raw: RecentFailure['raw']): string {
  if (raw === null) return '—';
  const hex = (value: number, width: number): string => `0x${value.toString(16).toUpperCase().padStart(width, '0')}`;
  const parts: string[] = [];
  if (raw.commandStatus !== undefined) parts.push(`command_status=${hex(raw.commandStatus, 8)}`);
  if (raw.stat !== undefined) parts.push(`stat=${raw.stat}`);
  if (raw.err !== undefined) parts.push(`err=${raw.err}`);
  if (raw.networkErrorCode !== undefined) parts.push(`network_error_code=${raw.networkErrorCode}`);
  if (raw.messageState !== undefined) parts.push(`message_state=${raw.messageState}`);
  if (raw.tpStatus !== undefined) parts.push(`TP-Status=${hex(raw.tpStatus, 2)}`);
  if (raw.cmsError !== undefined) parts.push(`+CMS ERROR: ${raw.cmsError}`);
  if (raw.cmeError !== undefined) parts.push(`+CME ERROR: ${raw.cmeError}`);
  return parts.length === 0 ? '—' : parts.join(' ');
}
