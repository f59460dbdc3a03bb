/**
 * The preview's sums over a campaign's row results, kept as they stream by (memory bounded: counters, the first
 * errors and the first rendered rows only): rows read, valid, refused and skipped; messages, segments and the
 * estimated price per currency; valid rows per carrier; refusals per code. `progress` is told every `every` rows.
 */
import type { CampaignRowErrorCode } from './campaign-errors.ts';
import type { CampaignRowResult } from './campaign-rows.ts';

export interface PreviewProgress {
  readonly rows: number;
  readonly valid: number;
  readonly refused: number;
}

export interface PreviewRowError {
  readonly line: number;
  readonly column?: string;
  readonly code: CampaignRowErrorCode;
  readonly message: string;
}

export interface PreviewSample {
  readonly line: number;
  readonly to: string;
  readonly text: string;
  readonly encoding: string;
  readonly segments: number;
  readonly carrier: string;
  readonly price?: number;
  readonly currency?: string;
}

export interface CampaignPreview {
  readonly rows: { readonly total: number; readonly valid: number; readonly refused: number; readonly skipped: number };
  readonly messages: number;
  readonly segments: number;
  readonly price: Readonly<Record<string, number>>;
  readonly carriers: Readonly<Record<string, number>>;
  readonly refusals: Readonly<Partial<Record<CampaignRowErrorCode, number>>>;
  readonly errors: readonly PreviewRowError[];
  /** True when there were more refused rows than `errors` lists. */
  readonly errorsTruncated: boolean;
  readonly sample: readonly PreviewSample[];
}

export interface PreviewTotalsOptions {
  /** Rendered rows kept for the answer (default 10). */
  readonly sampleRows?: number;
  /** Refused rows listed (default 1,000); all are counted. */
  readonly maxErrors?: number;
  readonly progress?: (progress: PreviewProgress) => void;
  /** Rows between two progress calls (default 10,000). */
  readonly every?: number;
}

export class PreviewTotals {
  private total = 0;
  private valid = 0;
  private refused = 0;
  private skipped = 0;
  private segments = 0;
  private readonly price = new Map<string, number>();
  private readonly carriers = new Map<string, number>();
  private readonly refusals = new Map<CampaignRowErrorCode, number>();
  private readonly errors: PreviewRowError[] = [];
  private readonly sample: PreviewSample[] = [];

  constructor(private readonly options: PreviewTotalsOptions = {}) {}

  add(result: CampaignRowResult): void {
    this.total += 1;
    if (result.ok) {
      this.valid += 1;
      this.segments += result.segments;
      this.carriers.set(result.carrier, (this.carriers.get(result.carrier) ?? 0) + 1);
      if (result.price !== undefined && result.currency !== undefined) this.price.set(result.currency, (this.price.get(result.currency) ?? 0) + result.price);
      if (this.sample.length < (this.options.sampleRows ?? 10)) {
        const { line, to, text, encoding, segments, carrier, price, currency } = result;
        this.sample.push({ line, to, text, encoding, segments, carrier, ...(price === undefined ? {} : { price }), ...(currency === undefined ? {} : { currency }) });
      }
    } else if (result.skipped === true) {
      this.skipped += 1;
    } else {
      this.refused += 1;
      this.refusals.set(result.code, (this.refusals.get(result.code) ?? 0) + 1);
      if (this.errors.length < (this.options.maxErrors ?? 1_000)) {
        const { line, column, code, message } = result;
        this.errors.push({ line, code, message, ...(column === undefined ? {} : { column }) });
      }
    }
    const every = this.options.every ?? 10_000;
    if (this.options.progress !== undefined && this.total % every === 0) this.options.progress(this.progress());
  }

  progress(): PreviewProgress {
    return { rows: this.total, valid: this.valid, refused: this.refused };
  }

  result(): CampaignPreview {
    return {
      rows: { total: this.total, valid: this.valid, refused: this.refused, skipped: this.skipped },
      messages: this.valid,
      segments: this.segments,
      price: Object.fromEntries([...this.price].map(([currency, sum]) => [currency, Math.round(sum * 1e6) / 1e6])),
      carriers: Object.fromEntries(this.carriers),
      refusals: Object.fromEntries(this.refusals),
      errors: [...this.errors],
      errorsTruncated: this.refused > this.errors.length,
      sample: [...this.sample],
    };
  }
}
