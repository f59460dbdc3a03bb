/**
 * The console's languages: Japanese and English message catalogues (locales/<lang>/*.json, one file per page or
 * area, merged into one catalogue per language; a key defined twice is refused), one i18next instance for
 * the process. The language is the visitor's choice (the `lang` cookie the switch sets) or else the first of the
 * browser's Accept-Language that the console speaks; Japanese when neither says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createInstance, type TFunction } from 'i18next';

export const CONSOLE_LANGUAGES = ['ja', 'en'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

type Catalogue = Record<string, unknown>;

function catalogue(language: ConsoleLanguage): Catalogue {
  const dir = new URL(`./locales/${language}/`, import.meta.url);
  const merged: Catalogue = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    mergeInto(merged, JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Catalogue, `${language}/${file}`, '');
  }
  return merged;
}

function mergeInto(target: Catalogue, source: Catalogue, file: string, path: string): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    const isBranch = typeof value === 'object' && value !== null;
    if (existing === undefined) target[key] = isBranch ? structuredClone(value) : value;
    else if (isBranch && typeof existing === 'object' && existing !== null) mergeInto(existing as Catalogue, value as Catalogue, file, `${path}${key}.`);
    else throw new Error(`console catalogue ${file}: ${path}${key} is defined twice`);
  }
}

const i18n = createInstance();
await i18n.init({
  resources: Object.fromEntries(CONSOLE_LANGUAGES.map((language) => [language, { translation: catalogue(language) }])),
  fallbackLng: 'ja',
  supportedLngs: [...CONSOLE_LANGUAGES],
  // Templates escape what they print; i18next escaping too would show entities.
  interpolation: { escapeValue: false },
  initAsync: false,
});

/** The translation function of one language. */
export function translator(language: ConsoleLanguage): TFunction {
  return i18n.getFixedT(language);
}

export function isConsoleLanguage(value: unknown): value is ConsoleLanguage {
  return typeof value === 'string' && (CONSOLE_LANGUAGES as readonly string[]).includes(value);
}

/** The language from the switch's cookie, else the browser's preference list (q-values honoured), else Japanese. */
export function negotiateLanguage(cookie: string | undefined, acceptLanguage: string | undefined): ConsoleLanguage {
  if (isConsoleLanguage(cookie)) return cookie;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { base: range.toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isConsoleLanguage) ?? 'ja';
}

/** Every key of a catalogue, dotted (the catalogue test checks both languages have the same keys). */
export function catalogueKeys(language: ConsoleLanguage): string[] {
  const keys: string[] = [];
  const walk = (node: Catalogue, path: string): void => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'object' && value !== null) walk(value as Catalogue, `${path}${key}.`);
      else keys.push(`${path}${key}`);
    }
  };
  walk(catalogue(language), '');
  return keys.sort();
}
