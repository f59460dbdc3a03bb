import type { CarriersConfig } from '../config/routing-config.ts';
import type { PrefixEntry } from './prefix-table.ts';

/**
 * The carrier ids the router can name: every carrier of the range data (the shipped files and a configuration's
 * `carriers.rangeFiles`), and a configuration's `carriers.ranges`, `carriers.names` and `carriers.defaults`.
 * A ported number must move to one of these, or no rule, price or sender rule could ever match it.
 */
export function knownCarriers(rangeEntries: readonly (readonly PrefixEntry[])[], carriers: CarriersConfig = {}): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const layer of rangeEntries) for (const entry of layer) ids.add(entry.carrier);
  for (const carrier of Object.values(carriers.ranges ?? {})) ids.add(carrier);
  for (const carrier of Object.keys(carriers.names ?? {})) ids.add(carrier);
  for (const carrier of Object.values(carriers.defaults ?? {})) ids.add(carrier);
  return ids;
}
