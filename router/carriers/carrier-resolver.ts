import type { CarrierAnswer } from './carrier-answer.ts';
import type { HlrHook } from './hlr-hook.ts';
import type { PrefixTable } from './prefix-table.ts';
import { portInForce, type PortingRecord, type PortingSource } from './porting-source.ts';

/** The reloadable part of carrier lookup; it lives in the RoutingTable. */
export interface CarrierData {
  readonly ranges: PrefixTable;
  /** Per-country default by ISO 3166-1 alpha-2 code. */
  readonly defaults: ReadonlyMap<string, CarrierAnswer>;
  readonly names: ReadonlyMap<string, string>;
}

export interface NumberToResolve {
  readonly e164: string;
  readonly country: string | undefined;
}

/** What an unknown number gets when no source knows it and its country has no default. */
export const UNKNOWN_CARRIER: CarrierAnswer = Object.freeze({ carrier: 'unknown', source: 'default' });

/** Ranges, then the country default: synchronous and allocation-free (answers are prebuilt). */
export function lookupOffline(data: CarrierData, e164: string, country: string | undefined): CarrierAnswer {
  const range = data.ranges.lookup(e164);
  if (range !== undefined) return range;
  return (country === undefined ? undefined : data.defaults.get(country)) ?? UNKNOWN_CARRIER;
}

export interface CarrierResolverDeps {
  readonly porting?: PortingSource;
  readonly hlr?: HlrHook;
}

/**
 * Carrier lookup in order: HLR hook (when configured; falls back on failure), number portability, ranges
 * (curated data, then libphonenumber's carrier data), per-country default. The answer names its source.
 * A porting store that fails does not stop sending: the answer falls back to ranges and says so.
 */
export class CarrierResolver {
  private readonly porting: PortingSource | undefined;
  private readonly hlr: HlrHook | undefined;
  private readonly mnpAnswers = new Map<string, CarrierAnswer>();
  private readonly hlrAnswers = new Map<string, CarrierAnswer>();

  constructor(deps: CarrierResolverDeps = {}) {
    this.porting = deps.porting;
    this.hlr = deps.hlr;
  }

  async resolve(data: CarrierData, number: NumberToResolve, atMs: number): Promise<CarrierAnswer> {
    if (this.hlr !== undefined) {
      const carrier = await this.hlr.lookup(number.e164);
      if (carrier !== undefined) return this.answer(this.hlrAnswers, data, carrier, 'hlr');
    }
    if (this.porting !== undefined) {
      let record: PortingRecord | undefined;
      try {
        record = await this.porting.get(number.e164);
      } catch {
        return degraded(lookupOffline(data, number.e164, number.country));
      }
      if (record !== undefined && portInForce(record, atMs)) return this.answer(this.mnpAnswers, data, record.carrier, 'mnp');
    }
    return lookupOffline(data, number.e164, number.country);
  }

  /** Bulk form for large sends: one pipelined porting read for the whole batch (the HLR hook is not used). */
  async resolveMany(data: CarrierData, numbers: readonly NumberToResolve[], atMs: number): Promise<CarrierAnswer[]> {
    let records: readonly (PortingRecord | undefined)[] = [];
    let portingFailed = false;
    if (this.porting !== undefined) {
      try {
        records = await this.porting.getMany(numbers.map((n) => n.e164));
      } catch {
        portingFailed = true;
      }
    }
    const answers = new Array<CarrierAnswer>(numbers.length);
    for (let i = 0; i < numbers.length; i++) {
      const number = numbers[i] as NumberToResolve;
      const record = records[i];
      if (record !== undefined && portInForce(record, atMs)) {
        answers[i] = this.answer(this.mnpAnswers, data, record.carrier, 'mnp');
      } else {
        const offline = lookupOffline(data, number.e164, number.country);
        answers[i] = portingFailed ? degraded(offline) : offline;
      }
    }
    return answers;
  }

  private answer(cache: Map<string, CarrierAnswer>, data: CarrierData, carrier: string, source: 'mnp' | 'hlr'): CarrierAnswer {
    const name = data.names.get(carrier);
    const key = name === undefined ? carrier : `${carrier}\u0000${name}`;
    let answer = cache.get(key);
    if (answer === undefined) {
      answer = Object.freeze(name === undefined ? { carrier, source } : { carrier, name, source });
      cache.set(key, answer);
    }
    return answer;
  }
}

export interface DegradedAnswer extends CarrierAnswer {
  /** The porting store could not be read; this answer ignores number portability. */
  readonly mnpUnavailable: true;
}

function degraded(answer: CarrierAnswer): DegradedAnswer {
  return { ...answer, mnpUnavailable: true };
}
