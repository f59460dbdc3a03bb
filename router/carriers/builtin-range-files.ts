/**
 * The range data shipped in router/data, in increasing precedence (curated Japan over the bulk carrier data).
 * Only names: the files are read outside router/ (gateway/adapters/file) and handed in as content.
 */
export const BUILTIN_RANGE_FILES = [
  { file: 'carrier-prefixes.csv', source: 'carrier-data' },
  { file: 'jp-mobile-ranges.csv', source: 'ranges' },
] as const;
