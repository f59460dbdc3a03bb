import type { Command } from 'commander';
import { codecError, encodeText, NATIONAL_LANGUAGE_IDS, type EncodeOptions, type NationalLanguage } from '../drivers/codec/index.ts';

interface SegmentsFlags {
  readonly text?: string;
  readonly encoding: string;
  readonly smart?: boolean;
  readonly shiftTables?: boolean | string;
  readonly maxParts?: string;
  readonly ref16?: boolean;
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
    .action((flags: SegmentsFlags) => {
      const message = encodeText(flags.text ?? '', segmentsOptions(flags));
      const summary = {
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
  return {
    encoding,
    smart: flags.smart === true,
    shiftTables: shiftTablesOption(flags.shiftTables),
    ...(maxParts !== undefined ? { maxParts } : {}),
    ...(flags.ref16 === true ? { refSize: 16 as const } : {}),
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
