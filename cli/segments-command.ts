import type { Command } from 'commander';
import { codecError, encodeText, NATIONAL_LANGUAGE_IDS, type EncodeOptions, type NationalLanguage } from '../drivers/codec/index.ts';
import { BUILTIN_CARRIER_PROFILES } from '../router/index.ts';

interface SegmentsFlags {
  readonly text?: string;
  readonly encoding: string;
  readonly smart?: boolean;
  readonly shiftTables?: boolean | string;
  readonly maxParts?: string;
  readonly ref16?: boolean;
  readonly carrier?: string;
}

const ENCODINGS = ['auto', 'gsm7', 'ucs2'] as const;

/** `smsgw segments`: how a text would be encoded and split, as JSON. */
export function registerSegmentsCommand(program: Command): void {
  program
    .command('segments')
    .description('show how a text is encoded and split into SMS parts (JSON)')
    .requiredOption('--text <text>', 'the message text')
    .option('--encoding <encoding>', 'auto | gsm7 | ucs2', 'auto')
    .option('--smart', 'transliterate typographic characters (quotes, dashes, ellipsis...) to stay in GSM 7-bit')
    .option('--shift-tables [languages]', 'allow national language shift tables: all, or a comma-separated list (e.g. turkish,portuguese)')
    .option('--max-parts <n>', 'refuse texts needing more parts (1..255, default 10)')
    .option('--ref16', 'use 16-bit concatenation references')
    .option('--carrier <id>', `count parts as a carrier's built-in profile does (${Object.keys(BUILTIN_CARRIER_PROFILES).join(', ')}): docomo 66 a part, at most 660`)
    .action((flags: SegmentsFlags) => {
      const message = encodeText(flags.text ?? '', segmentsOptions(flags));
      const summary = {
        ...(flags.carrier === undefined ? {} : { carrier: flags.carrier }),
        encoding: message.encoding,
        parts: message.parts.length,
        units: message.parts.map((part) => part.units),
        characters: message.characters,
        remainingInLastPart: message.remainingInLastPart,
        udhBytes: message.udhBytes,
        substitutions: message.substitutions,
        shiftTables: message.shiftTables,
      };
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    });
}

function segmentsOptions(flags: SegmentsFlags): EncodeOptions {
  const encoding = ENCODINGS.find((name) => name === flags.encoding);
  if (encoding === undefined) {
    throw codecError('CODEC_INVALID_OPTION', `--encoding ${flags.encoding} (auto, gsm7 or ucs2)`, { encoding: flags.encoding });
  }
  let maxParts: number | undefined;
  if (flags.maxParts !== undefined) {
    maxParts = /^\d+$/.test(flags.maxParts) ? Number(flags.maxParts) : Number.NaN;
    if (!Number.isInteger(maxParts) || maxParts < 1 || maxParts > 255) {
      throw codecError('CODEC_INVALID_OPTION', `--max-parts ${flags.maxParts} (1..255)`, { maxParts: flags.maxParts });
    }
  }
  const profile = flags.carrier === undefined ? undefined : BUILTIN_CARRIER_PROFILES[flags.carrier];
  if (flags.carrier !== undefined && profile === undefined) {
    throw codecError('CODEC_INVALID_OPTION', `--carrier ${flags.carrier} (${Object.keys(BUILTIN_CARRIER_PROFILES).join(', ')})`, { carrier: flags.carrier });
  }
  const cap = profile === undefined ? maxParts : Math.min(maxParts ?? profile.maxParts, profile.maxParts);
  const refSize = profile?.refSize ?? (flags.ref16 === true ? 16 : undefined);
  return {
    encoding,
    smart: flags.smart === true,
    shiftTables: shiftTablesOption(flags.shiftTables),
    ...(cap !== undefined ? { maxParts: cap } : {}),
    ...(refSize !== undefined ? { refSize } : {}),
  };
}

function shiftTablesOption(value: boolean | string | undefined): boolean | NationalLanguage[] {
  if (value === undefined || value === false) return false;
  if (value === true || value === 'all') return true;
  return value.split(',').map((name) => {
    const language = name.trim().toLowerCase();
    if (!(language in NATIONAL_LANGUAGE_IDS)) {
      throw codecError('CODEC_INVALID_OPTION', `--shift-tables ${name}: not a national language of 3GPP TS 23.038`, { shiftTables: name });
    }
    return language as NationalLanguage;
  });
}
