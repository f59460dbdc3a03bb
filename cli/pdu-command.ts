import type { Command } from 'commander';
import {
  buildSubmitPdus,
  codecError,
  decodeTpdu,
  encodeText,
  NATIONAL_LANGUAGE_IDS,
  toHex,
  type DecodedTpdu,
  type EncodeOptions,
  type NationalLanguage,
  type PduDirection,
  type ServiceCentreTime,
  type SubmitOptions,
  type TpduUserData,
} from '../drivers/codec/index.ts';

interface EncodeFlags {
  readonly to: string;
  readonly country: string;
  readonly asIs?: boolean;
  readonly text: string;
  readonly encoding: string;
  readonly smart?: boolean;
  readonly shiftTables?: boolean | string;
  readonly srr?: boolean;
  readonly validity?: string;
  readonly ref?: string;
  readonly ref16?: boolean;
  readonly maxParts?: string;
  readonly flash?: boolean;
  readonly mr?: string;
  readonly smsc?: string;
}

interface DecodeFlags {
  readonly direction: string;
  /** Commander's negated `--no-smsc`. */
  readonly smsc: boolean;
}

const ENCODINGS = ['auto', 'gsm7', 'ucs2'] as const;
const DIRECTIONS = ['auto', 'mt', 'mo'] as const;

/** `smsgw pdu encode|decode`: SMS-SUBMIT PDUs as AT+CMGS takes them, and any PDU a modem shows, as JSON. */
export function registerPduCommand(program: Command): void {
  const pdu = program.command('pdu').description('build and read SMS PDUs (3GPP TS 23.040) as modems use them in PDU mode');
  pdu
    .command('encode')
    .description('print one SMS-SUBMIT per line in hex, SMSC information first, exactly as AT+CMGS takes it')
    .requiredOption('--to <number>', 'destination: international, national (with --country, e.g. 090-1234-5678), or alphanumeric')
    .option('--country <cc>', 'country of national numbers, as an account\'s default country', 'JP')
    .option('--as-is', 'put the --to digits in TP-DA as typed (unknown type of number): short codes, service numbers')
    .requiredOption('--text <text>', 'the message text')
    .option('--encoding <encoding>', 'auto | gsm7 | ucs2', 'auto')
    .option('--smart', 'transliterate typographic characters (quotes, dashes, ellipsis...) to stay in GSM 7-bit')
    .option('--shift-tables [languages]', 'allow national language shift tables: all, or a comma-separated list')
    .option('--srr', 'request a status report (TP-SRR)')
    .option('--validity <minutes>', 'relative validity period in minutes (rounded up to what TP-VP can express)')
    .option('--ref <n>', 'concatenation reference (0-255, or 0-65535 with --ref16)')
    .option('--ref16', 'use 16-bit concatenation references')
    .option('--max-parts <n>', 'refuse texts needing more parts (1..255, default 10)')
    .option('--flash', 'class 0 (flash) message')
    .option('--mr <n>', 'TP-MR of the first part (0-255; default 0: the modem assigns it)')
    .option('--smsc <number>', 'SMSC number (default: the one stored on the SIM, SMSC octet 00)')
    .action(async (flags: EncodeFlags) => {
      const to = await destination(flags);
      const message = encodeText(flags.text, encodeOptions(flags));
      const pdus = buildSubmitPdus(message, submitOptions(flags, to));
      process.stdout.write(pdus.map((p) => `${p.hex}\n`).join(''));
    });
  pdu
    .command('decode')
    .description('print each PDU (SMS-DELIVER, SMS-SUBMIT, SMS-STATUS-REPORT) as one JSON object per line')
    .argument('<hex...>', 'PDUs in hex, SMSC information first (as +CMGL / +CMGR / +CMT print them)')
    .option('--direction <direction>', 'auto | mt (from the SC: DELIVER, STATUS-REPORT) | mo (to the SC: SUBMIT)', 'auto')
    .option('--no-smsc', 'the hex starts with the TPDU (no SMSC information)')
    .action((hexes: string[], flags: DecodeFlags) => {
      const direction = DIRECTIONS.find((name) => name === flags.direction);
      if (direction === undefined) {
        throw codecError('CODEC_INVALID_OPTION', `--direction ${flags.direction} (auto, mt or mo)`, { direction: flags.direction });
      }
      // Decode every PDU before printing any, so bad input leaves stdout empty.
      const lines = hexes.map((hex) => JSON.stringify(pduView(decodeEither(hex, flags.smsc, direction))));
      process.stdout.write(lines.map((line) => `${line}\n`).join(''));
    });
}

/**
 * The TP-DA value: a phone number normalized to E.164 as the gateway normalizes a submit's `to` (national forms
 * with --country, separators, 00 and the country's IDD), an alphanumeric address unchanged, or with --as-is the
 * digits as typed.
 */
async function destination(flags: EncodeFlags): Promise<string> {
  const to = flags.to.trim();
  if (flags.asIs === true || (!to.startsWith('+') && /\p{L}/u.test(to))) return to;
  // Loaded here: the codec commands otherwise start without libphonenumber's metadata.
  const { normalizeNumber } = await import('../router/index.ts');
  return normalizeNumber(to, { defaultCountry: flags.country }).e164;
}

/** 'auto' reads TP-MTI as a modem receives it, then as it sends it: SUBMIT is the only MO type decoded. */
function decodeEither(hex: string, withSmsc: boolean, direction: 'auto' | PduDirection): DecodedTpdu {
  if (direction !== 'auto') return decodeTpdu(hex, { withSmsc, direction });
  try {
    return decodeTpdu(hex, { withSmsc, direction: 'mt' });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'CODEC_UNSUPPORTED_PDU_TYPE') throw error;
    return decodeTpdu(hex, { withSmsc, direction: 'mo' });
  }
}

function integerFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw codecError('CODEC_INVALID_OPTION', `${flag} ${value} (${min}..${max})`, { [flag.replace(/^--/, '')]: value });
  }
  return number;
}

function encodeOptions(flags: EncodeFlags): EncodeOptions {
  const encoding = ENCODINGS.find((name) => name === flags.encoding);
  if (encoding === undefined) {
    throw codecError('CODEC_INVALID_OPTION', `--encoding ${flags.encoding} (auto, gsm7 or ucs2)`, { encoding: flags.encoding });
  }
  const refSize = flags.ref16 === true ? 16 : 8;
  const concatRef = integerFlag(flags.ref, '--ref', 0, refSize === 16 ? 0xffff : 0xff);
  const maxParts = integerFlag(flags.maxParts, '--max-parts', 1, 255);
  return {
    encoding,
    smart: flags.smart === true,
    shiftTables: shiftTablesOption(flags.shiftTables),
    refSize,
    ...(concatRef === undefined ? {} : { concatRef }),
    ...(maxParts === undefined ? {} : { maxParts }),
  };
}

function submitOptions(flags: EncodeFlags, to: string): SubmitOptions {
  const validityMinutes = integerFlag(flags.validity, '--validity', 1, Number.MAX_SAFE_INTEGER);
  const messageReference = integerFlag(flags.mr, '--mr', 0, 255);
  return {
    to,
    srr: flags.srr === true,
    flash: flags.flash === true,
    ...(validityMinutes === undefined ? {} : { validityMinutes }),
    ...(messageReference === undefined ? {} : { messageReference }),
    ...(flags.smsc === undefined ? {} : { smsc: flags.smsc }),
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

const time = (t: ServiceCentreTime): { iso: string; tzQuarterHours: number } => ({ iso: t.date.toISOString(), tzQuarterHours: t.tzQuarterHours });

function userDataView(userData: TpduUserData): Record<string, unknown> {
  const concat = userData.concat;
  return {
    encoding: userData.encoding,
    text: userData.text,
    ...(userData.encoding === 'binary' ? { payload: toHex(userData.payload) } : {}),
    udl: userData.udl,
    udh:
      userData.udhLength === 0
        ? null
        : {
            length: userData.udhLength,
            elements: userData.udh.map((element) => ({ iei: element.iei, data: toHex(element.data) })),
            concat: concat === undefined ? null : { ref: concat.ref, refSize: concat.refSize, total: concat.total, part: concat.seq },
            shiftTables: userData.shiftTables,
          },
  };
}

/** A flat, JSON-ready view of a decoded PDU: times as ISO strings, octets as hex. */
export function pduView(pdu: DecodedTpdu): Record<string, unknown> {
  const common = { type: pdu.type, smsc: pdu.smsc?.value ?? null, tpduLength: pdu.tpduLength };
  switch (pdu.type) {
    case 'deliver':
      return {
        ...common,
        originator: pdu.originator,
        pid: pdu.pid,
        dcs: pdu.dcs,
        scts: time(pdu.scts),
        moreMessagesToSend: pdu.moreMessagesToSend,
        statusReportIndication: pdu.statusReportIndication,
        ...userDataView(pdu.userData),
      };
    case 'submit':
      return {
        ...common,
        destination: pdu.destination,
        messageReference: pdu.messageReference,
        statusReportRequest: pdu.statusReportRequest,
        rejectDuplicates: pdu.rejectDuplicates,
        pid: pdu.pid,
        dcs: pdu.dcs,
        validity:
          pdu.validity === undefined
            ? null
            : pdu.validity.format === 'relative'
              ? pdu.validity
              : pdu.validity.format === 'absolute'
                ? { format: 'absolute', ...time(pdu.validity.time) }
                : { format: 'enhanced', octets: toHex(pdu.validity.octets) },
        ...userDataView(pdu.userData),
      };
    case 'status-report':
      return {
        ...common,
        messageReference: pdu.messageReference,
        recipient: pdu.recipient,
        scts: time(pdu.scts),
        discharge: time(pdu.discharge),
        status: pdu.status,
        ...(pdu.userData === undefined ? {} : userDataView(pdu.userData)),
        ...(pdu.trailer === undefined ? {} : { trailer: toHex(pdu.trailer) }),
      };
  }
}
