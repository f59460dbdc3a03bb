/**
 * The verifications page (/console/verifications): the signed-in account's verification statistics over a range of
 * days (default the last 7, in the usage time zone): verifications started, codes sent, approved, wrong codes,
 * ended at the attempt limit, expired, canceled, and starts refused by reason, in total, per day as a chart and as
 * a table. The same read as GET /v1/verifications/stats. Never a code, a digest or a number.
 */
import type { FastifyInstance } from 'fastify';
import { isCodedError } from '../../../common/index.ts';
import { VERIFICATION_COUNTS, VERIFICATION_REFUSAL_REASONS, type VerificationStats } from '../../../gateway/index.ts';
import { consoleOf, signedInOf, viewData } from '../console-context.ts';
import type { ConsolePageDeps } from './page-deps.ts';

const DAY_MS = 86_400_000;

/** The quick ranges offered beside the form, in days ending today. */
const PRESETS = [1, 7, 30] as const;

/** The series the chart draws per day (the table shows every count). */
const CHARTED = ['started', 'approved', 'failed', 'max_attempts_reached', 'expired'] as const;

export function verificationsPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { gateway, now } = deps;

  app.get<{ Querystring: { from?: string; to?: string } }>('/verifications', { schema: { hide: true } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const today = gateway.usage.calendar.day(now());
    const to = request.query.to ?? today;
    const from = request.query.from ?? shiftDay(to, -6);
    let stats: VerificationStats | undefined;
    let refused: { code: string; field?: string } | undefined;
    try {
      stats = await gateway.verifications.stats(account.id, from, to);
    } catch (error: unknown) {
      if (!isCodedError(error) || error.code !== 'VERIFY_INVALID_REQUEST') throw error;
      const field = (error.details as { field?: unknown } | undefined)?.field;
      refused = { code: error.code, ...(typeof field === 'string' ? { field } : {}) };
    }
    const { t } = consoleOf(request);
    return reply
      .code(refused === undefined ? 200 : 400)
      .type('text/html; charset=utf-8')
      .viewAsync(
        'verifications.eta',
        viewData(request, reply, {
          from,
          to,
          stats,
          refused,
          counts: VERIFICATION_COUNTS,
          reasons: VERIFICATION_REFUSAL_REASONS,
          presets: PRESETS.map((days) => ({ days, from: shiftDay(today, 1 - days), to: today })),
          chart: stats === undefined ? undefined : JSON.stringify(chartOf(stats, (key) => String(t(key)))),
          timeZone: gateway.usage.calendar.timeZone,
        }),
      );
  });
}

/** The day `days` after (before, when negative) a `YYYY-MM-DD` day; an impossible day is left for the service to refuse. */
function shiftDay(day: string, days: number): string {
  const at = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(at) ? day : new Date(at + days * DAY_MS).toISOString().slice(0, 10);
}

/** What the chart script draws: the days and one series per charted count, labelled in the page's language. */
function chartOf(stats: VerificationStats, t: (key: string) => string): { labels: string[]; series: { key: string; label: string; data: number[] }[] } {
  return {
    labels: stats.days.map((day) => day.day),
    series: CHARTED.map((key) => ({ key, label: t(`verifications.count.${key}`), data: stats.days.map((day) => day[key]) })),
  };
}
