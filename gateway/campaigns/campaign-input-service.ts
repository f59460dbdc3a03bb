/**
 * The campaign input as a service: reads a campaign's rows for the account (CSV or JSON, see campaign-rows.ts)
 * with the gateway's router, suppression check and short-link shape, and previews them (a dry run: nothing is
 * stored or sent). The campaign runner reads the very same rows through `rows`. `columns` reads a CSV's header
 * (and counts its rows) so that an operator maps the columns before writing the template.
 */
import type { RouterHandle } from '../../router/index.ts';
import type { AccountConfig, AccountRegistry } from '../accounts/account-registry.ts';
import type { RoutedRecipient } from '../accept/routed-recipient.ts';
import { gatewayError } from '../errors.ts';
import type { LinkShape } from './campaign-template.ts';
import { readCampaignRows, type CampaignInput, type CampaignRowsOptions, type CampaignSource } from './campaign-rows.ts';
import { readCsvColumns, type CsvColumns } from './csv-columns.ts';
import { PreviewTotals, type CampaignPreview, type PreviewTotalsOptions } from './preview-totals.ts';

export interface CampaignInputServiceOptions {
  readonly router: RouterHandle;
  readonly accounts: AccountRegistry;
  readonly screen: (recipient: RoutedRecipient) => Promise<void>;
  readonly isUp?: (connectorId: string) => boolean;
  /** The short link's shape (none: templates with {{link}} are refused). */
  readonly link?: () => LinkShape | undefined;
  readonly now: () => number;
}

/** A campaign's input as a request gives it: everything but the account, the time and the link shape. */
export type CampaignRowsRequest = Omit<CampaignRowsOptions, 'account' | 'at' | 'link'>;

export interface PreviewAnswer extends CampaignPreview {
  /** The CSV's encoding as read (`utf-8` or `shift_jis`); absent for JSON rows. */
  readonly encoding?: string;
}

export class CampaignInputService {
  constructor(private readonly options: CampaignInputServiceOptions) {}

  /** The rows of a campaign, validated (see readCampaignRows); `from` is the account's id or the authenticated account. */
  rows(from: string | AccountConfig, source: CampaignSource, request: CampaignRowsRequest): CampaignInput {
    const account = typeof from === 'string' ? this.account(from) : from;
    const link = this.options.link?.();
    return readCampaignRows(
      source,
      { ...request, account, at: this.options.now(), ...(link === undefined ? {} : { link }) },
      { router: this.options.router, screen: this.options.screen, ...(this.options.isUp === undefined ? {} : { isUp: this.options.isUp }) },
    );
  }

  /** A CSV's columns, default phone column, row count and encoding, read as a campaign reads the file (see csv-columns.ts). */
  columns(source: Extract<CampaignSource, { kind: 'csv' }>): Promise<CsvColumns> {
    return readCsvColumns(source);
  }

  /** Reads every row once and sums them up (see PreviewTotals). */
  async preview(from: string | AccountConfig, source: CampaignSource, request: CampaignRowsRequest, totals: PreviewTotalsOptions = {}): Promise<PreviewAnswer> {
    const input = this.rows(from, source, request);
    const sums = new PreviewTotals(totals);
    for await (const result of input.rows) sums.add(result);
    const encoding = input.encoding();
    return { ...sums.result(), ...(encoding === undefined ? {} : { encoding }) };
  }

  private account(accountId: string): AccountConfig {
    const account = this.options.accounts.get(accountId);
    if (account === undefined) throw gatewayError('GW_NOT_FOUND', `account ${accountId}`, { field: 'account' });
    return account;
  }
}
