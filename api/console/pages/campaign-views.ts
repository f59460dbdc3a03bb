/**
 * What the campaign pages show, made from the campaign service's views: the actions a state allows, whether the
 * numbers can still move (the live view goes on until they cannot), durations, prices and send windows as text
 * in the visitor's language. Presentation only: every figure comes from the service.
 */
import type { FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { RECIPIENT_STATUSES, type CampaignState, type CampaignView, type RecipientFilter, type SendWindowConfig } from '../../../gateway/index.ts';
import { consoleOf } from '../console-context.ts';

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

/** The actions each state allows (the service refuses the others with CAMPAIGN_BAD_STATE). */
export const ACTIONS_BY_STATE: Readonly<Record<CampaignState, readonly CampaignAction[]>> = {
  draft: ['start', 'cancel'],
  scheduled: ['pause', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  canceled: [],
};

export const CAMPAIGN_ACTIONS: readonly CampaignAction[] = ['start', 'pause', 'resume', 'cancel'];

/** The recipient filters of the table and the export: every status, and those who clicked. */
export const RECIPIENT_FILTERS: readonly RecipientFilter[] = [...RECIPIENT_STATUSES, 'clicked'];

/** The statuses shown as counts, in the order a recipient goes through them. */
export const COUNTED: readonly (keyof CampaignView['counts'])[] = ['pending', 'queued', 'sent', 'delivered', 'failed', 'canceled', 'clicked'];

/** The stamps shown, in the order they happen. */
export const STAMPS = ['scheduledAt', 'startedAt', 'pausedAt', 'resumedAt', 'completedAt', 'canceledAt'] as const;

/** Nothing more will change by itself: the campaign ended and no recipient waits for an outcome. */
export function isSettled(view: CampaignView): boolean {
  const ended = view.state === 'completed' || view.state === 'canceled';
  return ended && view.counts.pending + view.counts.queued + view.counts.sent === 0;
}

export function durationText(seconds: number, t: TFunction): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return t('campaigns.duration.hm', { h, m });
  if (m > 0) return t('campaigns.duration.ms', { m, s });
  return t('campaigns.duration.s', { s });
}

const LOCALES = { ja: 'ja-JP', en: 'en-GB' } as const;

/** Each currency's estimated price in the page's language (at most two decimals: prices per segment have them). */
export function priceTexts(price: Readonly<Record<string, number>>, request: FastifyRequest): string[] {
  const locale = LOCALES[consoleOf(request).lang];
  return Object.entries(price).map(([currency, amount]) => {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 }).format(amount);
    } catch {
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(amount)} ${currency}`;
    }
  });
}

/** A send window as one line: the days and hours of each rule, and its zone. Undefined when there is none. */
export function describeWindow(window: SendWindowConfig | undefined, t: TFunction): string | undefined {
  if (window === undefined) return undefined;
  const rules = window.rules.map((rule) => `${rule.days.map((day) => t(`campaigns.days.${day}`)).join(' ')} ${rule.from}–${rule.to}`);
  return `${rules.join(' / ')}${window.timeZone === undefined ? '' : ` (${window.timeZone})`}`;
}

/** The figures of the live view, ready for its template. */
export function progressData(view: CampaignView, t: TFunction): Record<string, unknown> {
  return {
    campaign: view,
    counted: COUNTED,
    stamps: STAMPS,
    settled: isSettled(view),
    eta: view.progress.etaSeconds === undefined ? undefined : durationText(view.progress.etaSeconds, t),
  };
}
