/**
 * Which modem of the pool carries a message. Pure: the pool passes each modem's state.
 * - round-robin: the next eligible modem after the last one chosen.
 * - carrier-affinity: prefer modems whose SIM is on the destination's carrier (on-net is cheaper and more
 *   reliable), round-robin among them; otherwise round-robin among all eligible modems.
 */
export type SelectionStrategy = 'round-robin' | 'carrier-affinity';

export interface Candidate {
  readonly id: string;
  readonly up: boolean;
  readonly rateOk: boolean;
  readonly capOk: boolean;
  /** Names the SIM's operator goes by: the network name from AT+COPS? and configured aliases. */
  readonly carriers: readonly string[];
}

export type Selection =
  | { readonly ok: true; readonly id: string; readonly onNet: boolean }
  | { readonly ok: false; readonly reason: 'none-up' | 'rate-limited' | 'daily-cap' };

/** Lowercase letters and digits only: "Vodafone UK", "vodafone-uk" and "VODAFONE UK" are one carrier. */
export function carrierKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function carrierMatches(candidate: Candidate, carrier: string | undefined): boolean {
  if (carrier === undefined || carrierKey(carrier) === '') return false;
  const wanted = carrierKey(carrier);
  return candidate.carriers.some((c) => carrierKey(c) === wanted);
}

export function selectModem(
  candidates: readonly Candidate[],
  strategy: SelectionStrategy,
  carrier: string | undefined,
  lastIndex: number,
): Selection & { readonly index?: number } {
  const up = candidates.filter((c) => c.up);
  if (up.length === 0) return { ok: false, reason: 'none-up' };
  const eligible = (c: Candidate): boolean => c.up && c.rateOk && c.capOk;
  if (!up.some(eligible)) return { ok: false, reason: up.some((c) => c.capOk) ? 'rate-limited' : 'daily-cap' };
  const pick = (accept: (c: Candidate) => boolean): number => {
    for (let step = 1; step <= candidates.length; step++) {
      const index = (lastIndex + step) % candidates.length;
      const candidate = candidates[index];
      if (candidate !== undefined && accept(candidate)) return index;
    }
    return -1;
  };
  let index = -1;
  let onNet = false;
  if (strategy === 'carrier-affinity') {
    index = pick((c) => eligible(c) && carrierMatches(c, carrier));
    onNet = index >= 0;
  }
  if (index < 0) index = pick(eligible);
  const chosen = candidates[index];
  if (chosen === undefined) return { ok: false, reason: 'none-up' };
  return { ok: true, id: chosen.id, onNet, index };
}
