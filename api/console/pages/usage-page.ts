/**
 * Usage (利用状況): messages and segments of the signed-in account per day, month, carrier, connector or final
 * status over a range of days, as a Chart.js chart (drawn by assets/usage.js from the figures the page carries in
 * `data-chart`), a table of the same figures, and the CSV GET /v1/usage?format=csv answers. The figures are
 * UsageService.report's, as the API's; days and months are those of `usage.timeZone`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isCodedError, maskDigits } from '../../../common/index.ts';
import { USAGE_GROUPS, type UsageGroup, type UsageReport } from '../../../gateway/index.ts';
import { usageCsv } from '../../usage-csv.ts';
import { consoleOf, signedInOf, viewData } from '../console-context.ts';
import type { ConsolePageDeps } from './page-deps.ts';

interface UsageQuery {
  readonly from?: string;
  readonly to?: string;
  readonly groupBy?: string;
}

export interface UsageForm {
  readonly from: string;
  readonly to: string;
  readonly groupBy: UsageGroup;
}

/** The chart's data, as assets/usage.js reads it from `data-chart`. */
export interface UsageChart {
  /** `time` (day, month): bars of messages and a line of segments; `category`: bars of both. */
  readonly kind: 'time' | 'category';
  readonly labels: readonly string[];
  readonly messages: readonly number[];
  readonly segments: readonly number[];
  readonly names: { readonly messages: string; readonly segments: string };
}

const DAY_MS = 86_400_000;

/** A calendar date `days` after (before, when negative) `day`, both `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first day of the month `months` after (before, when negative) `day`'s month. */
export function monthStart(day: string, months: number): string {
  const date = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/** Ranges offered as links: the last 7 and 30 days, this month, the last 12 months (by month). */
export function usagePresets(today: string): { key: string; form: UsageForm }[] {
  return [
    { key: 'last7', form: { from: addDays(today, -6), to: today, groupBy: 'day' } },
    { key: 'last30', form: { from: addDays(today, -29), to: today, groupBy: 'day' } },
    { key: 'thisMonth', form: { from: monthStart(today, 0), to: today, groupBy: 'day' } },
    { key: 'last12Months', form: { from: monthStart(today, -11), to: today, groupBy: 'month' } },
  ];
}

/** The form as asked, with what is missing filled in: the last 30 days by day (12 months when by month). */
export function usageForm(query: UsageQuery, today: string): UsageForm {
  const groupBy = (USAGE_GROUPS as readonly string[]).includes(query.groupBy ?? '') ? (query.groupBy as UsageGroup) : 'day';
  const given = (value: string | undefined): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const to = given(query.to) ?? today;
  const end = /^\d{4}-\d{2}-\d{2}$/.test(to) && !Number.isNaN(Date.parse(to)) ? to : today;
  const from = given(query.from) ?? (groupBy === 'month' ? monthStart(end, -11) : addDays(end, -29));
  return { from, to, groupBy };
}

export function usageHref(path: string, form: UsageForm): string {
  return `${path}?${new URLSearchParams({ from: form.from, to: form.to, groupBy: form.groupBy }).toString()}`;
}

export function usagePage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { usage } = deps.gateway;

  app.get<{ Querystring: UsageQuery }>('/usage', { schema: { hide: true } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const today = usage.calendar.day(deps.now());
    const form = usageForm(request.query, today);
    let report: UsageReport | undefined;
    let refusal: { code: string; field?: string; detail: string } | undefined;
    try {
      report = await usage.report({ accountId: account.id, ...form });
    } catch (error: unknown) {
      if (!isCodedError(error) || error.code !== 'GW_INVALID_USAGE_QUERY') throw error;
      const field = (error.details as { field?: unknown }).field;
      refusal = { code: error.code, ...(typeof field === 'string' ? { field } : {}), detail: maskDigits(error.message) };
    }
    return reply
      .code(refusal === undefined ? 200 : 400)
      .type('text/html; charset=utf-8')
      .viewAsync(
        'usage.eta',
        viewData(request, reply, {
          form,
          groups: USAGE_GROUPS.map((groupBy) => ({ groupBy, href: usageHref('/console/usage', { ...form, groupBy }), current: groupBy === form.groupBy })),
          presets: usagePresets(today).map(({ key, form: preset }) => ({ key, href: usageHref('/console/usage', preset) })),
          csvHref: usageHref('/console/usage/export.csv', form),
          timeZone: report?.timeZone ?? usage.calendar.timeZone,
          refusal,
          ...(report === undefined ? {} : tableAndChart(request, report)),
        }),
      );
  });

  // The same file as GET /v1/usage?format=csv, for the same range and grouping.
  app.get<{ Querystring: UsageQuery }>('/usage/export.csv', { schema: { hide: true } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const form = usageForm(request.query, usage.calendar.day(deps.now()));
    const report = await usage.report({ accountId: account.id, ...form });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="usage-${form.from}-${form.to}-${form.groupBy}.csv"`)
      .send(usageCsv(report));
  });
}

function tableAndChart(request: FastifyRequest, report: UsageReport): Record<string, unknown> {
  const { t } = consoleOf(request);
  const label = (key: string): string => (report.groupBy === 'status' ? t(`usage.statuses.${key}`, { defaultValue: key }) : key);
  const currencies = [...new Set(report.rows.flatMap((row) => Object.keys(row.price ?? {})))].sort();
  const chart: UsageChart = {
    kind: report.groupBy === 'day' || report.groupBy === 'month' ? 'time' : 'category',
    labels: report.rows.map((row) => label(row.key)),
    messages: report.rows.map((row) => row.messages),
    segments: report.rows.map((row) => row.segments),
    names: { messages: t('usage.messages'), segments: t('usage.segments') },
  };
  return {
    rows: report.rows.map((row) => ({ key: row.key, label: label(row.key), messages: row.messages, segments: row.segments, price: currencies.map((c) => row.price?.[c]) })),
    total: { ...report.total, price: currencies.map((c) => report.total.price?.[c]) },
    currencies,
    chart,
  };
}
