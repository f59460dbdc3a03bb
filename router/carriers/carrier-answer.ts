/** Where a carrier answer came from, strongest first. */
export type CarrierSource = 'hlr' | 'mnp' | 'ranges' | 'carrier-data' | 'default';

export interface CarrierAnswer {
  /** Stable carrier id used by rules, prices and sender rules (e.g. `docomo`). */
  readonly carrier: string;
  /** Display name, when the data gives one. */
  readonly name?: string;
  readonly source: CarrierSource;
  /** The range prefix that matched (digits after `+`), for `ranges` and `carrier-data`. */
  readonly prefix?: string;
}
