/**
 * Encoding choice and segmentation of a text (or binary payload) into SMS parts, 3GPP TS 23.040 clause 9.2.3.24:
 * a part carries 140 octets of user data, UDH included. So the text capacity of a part follows from its UDH size:
 * septets = floor((140 - udhOctets) * 8 / 7), UCS-2 units = floor((140 - udhOctets) / 2), octets = 140 - udhOctets.
 * That gives 160 / 70 / 140 for a single part, 153 / 67 / 134 with an 8-bit reference concatenation element
 * (UDH 6 octets), 152 / 66 / 133 with a 16-bit one (7 octets), and less again with national shift elements
 * (3 octets each).
 *
 * Parts are cut on characters: an escape pair (extension character) or a surrogate pair (emoji) never straddles
 * two parts. Filling greedily character by character gives the fewest parts for a fixed cost per character.
 * A text needing more parts than allowed is refused, never truncated.
 */
import { type CodecError, codecError } from './errors.ts';
import { notGsm7At } from './gsm7.ts';
import { allowedLanguages, DEFAULT_TABLES, planGsm7, remaining, searchGsm7, type Gsm7Plan } from './gsm7-plan.ts';
import { GSM7_ESCAPE } from './gsm7-alphabet.ts';
import { allocOctets } from './octet-pool.ts';
import { CONCAT_IE_OCTETS, DEFAULT_MAX_PARTS, MAX_PARTS, octetCapacity, ucs2Capacity, USER_DATA_OCTETS } from './part-capacity.ts';
import { transliterate } from './transliterate.ts';
import type {
  ConcatRefSize,
  EncodedMessage,
  EncodeOptions,
  SegmentPart,
  Substitution,
  UdhElement,
} from './types.ts';
import { firstUnpairedSurrogate, unpairedSurrogate, writeUcs2 } from './ucs2.ts';
import { concatElement, shiftElements, udhLength } from './udh.ts';

// A local copy: the hot loop must not go through an imported binding (a transpiler may turn it into a getter).
const ESCAPE = GSM7_ESCAPE;

interface Settings {
  readonly maxParts: number;
  readonly concatRef: number;
  readonly refSize: ConcatRefSize;
}

function settings(options: { maxParts?: number; concatRef?: number; refSize?: ConcatRefSize }): Settings {
  const maxParts = options.maxParts ?? DEFAULT_MAX_PARTS;
  if (!Number.isInteger(maxParts) || maxParts < 1 || maxParts > MAX_PARTS) {
    throw codecError('CODEC_INVALID_OPTION', `maxParts ${maxParts} outside 1..${MAX_PARTS}`, { maxParts });
  }
  const refSize = options.refSize ?? 8;
  if (refSize !== 8 && refSize !== 16) {
    throw codecError('CODEC_INVALID_OPTION', `refSize ${String(refSize)} is neither 8 nor 16`, { refSize });
  }
  const concatRef = options.concatRef ?? 0;
  const refMax = refSize === 16 ? 0xffff : 0xff;
  if (!Number.isInteger(concatRef) || concatRef < 0 || concatRef > refMax) {
    throw codecError('CODEC_INVALID_OPTION', `concatRef ${concatRef} outside 0..${refMax}`, { concatRef, refSize });
  }
  return { maxParts, concatRef, refSize };
}

interface Ucs2Plan {
  readonly parts: number;
  readonly lastUsed: number;
  readonly single: number;
  readonly multi: number;
}

function planUcs2(text: string, refSize: ConcatRefSize): Ucs2Plan {
  const single = ucs2Capacity(0);
  const multi = ucs2Capacity(1 + CONCAT_IE_OCTETS[refSize]);
  const n = text.length;
  if (n <= single) return { parts: 1, lastUsed: n, single, multi };
  let parts = 0;
  let start = 0;
  let used = 0;
  while (start < n) {
    const end = ucs2PartEnd(text, start, multi);
    parts++;
    used = end - start;
    start = end;
  }
  return { parts, lastUsed: used, single, multi };
}

/** End of the part starting at `start`: at most `capacity` units, never between the halves of a surrogate pair. */
function ucs2PartEnd(text: string, start: number, capacity: number): number {
  let end = Math.min(start + capacity, text.length);
  if (end < text.length) {
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
  }
  return end;
}

function countCodePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

function tooManyParts(parts: number, maxParts: number, encoding: string): CodecError {
  return codecError('CODEC_TOO_MANY_PARTS', `needs ${parts} parts, at most ${maxParts} allowed`, { parts, maxParts, encoding });
}

/**
 * Chooses the encoding and cuts `text` into parts. `auto` takes the encoding with the fewest parts: the GSM
 * default alphabet, else (when the caller allows them) the national shift tables that keep the text in 7-bit with
 * the fewest parts, else UCS-2; on a tie 7-bit wins. Smart transliteration, when on, is used only if it lets the
 * text travel in 7-bit (or when 7-bit is forced).
 */
export function encodeText(text: string, options: EncodeOptions = {}): EncodedMessage {
  const { maxParts, concatRef, refSize } = settings(options);
  const languages = allowedLanguages(options.shiftTables);
  const request = options.encoding ?? 'auto';
  if (request === 'binary') {
    throw codecError('CODEC_INVALID_OPTION', 'binary payloads go through encodeBinary', { encoding: request });
  }
  if (request !== 'auto' && request !== 'gsm7' && request !== 'ucs2') {
    throw codecError('CODEC_INVALID_OPTION', `unknown encoding ${String(request)}`, { encoding: request });
  }
  if (request !== 'ucs2') {
    // Hot path: plain GSM text with the default tables, one classifying pass.
    const plain = planGsm7(text, DEFAULT_TABLES, refSize);
    if (typeof plain !== 'number') return buildGsm7(plain, [], concatRef, refSize, maxParts);
    let search = searchGsm7(text, languages, refSize, plain);
    let searchedText = text;
    let substitutions: Substitution[] = [];
    if (options.smart === true) {
      const smart = transliterate(text);
      if (smart.text !== text) {
        const alternative = searchGsm7(smart.text, languages, refSize);
        // The caller's own characters win a tie: substitute only when it saves parts or makes 7-bit possible.
        if (alternative.best !== undefined && (search.best === undefined || alternative.best.parts < search.best.parts)) {
          search = alternative;
          substitutions = smart.substitutions;
        } else if (search.best === undefined) {
          search = alternative;
          searchedText = smart.text;
        }
      }
    }
    const best = search.best;
    if (request === 'gsm7') {
      if (best === undefined) throw notGsm7At(searchedText, search.misfit);
      return buildGsm7(best, substitutions, concatRef, refSize, maxParts);
    }
    if (best !== undefined) {
      const ucs2 = planUcs2(text, refSize);
      if (best.parts <= ucs2.parts) {
        return buildGsm7(best, substitutions, concatRef, refSize, maxParts);
      }
    }
  }
  return buildUcs2(text, concatRef, refSize, maxParts);
}

function buildGsm7(
  plan: Gsm7Plan,
  substitutions: Substitution[],
  concatRef: number,
  refSize: ConcatRefSize,
  maxParts: number,
): EncodedMessage {
  if (plan.parts > maxParts) throw tooManyParts(plan.parts, maxParts, 'gsm7');
  const { text, tables, septetBuffer } = plan;
  const septets = septetBuffer.length;
  const shifts = shiftElements(tables);
  const parts: SegmentPart[] = [];
  if (plan.parts === 1) {
    parts.push({ seq: 1, text, payload: septetBuffer, units: septets, udh: shifts });
  } else {
    let start = 0;
    let charStart = 0;
    for (let seq = 1; seq <= plan.parts; seq++) {
      let end = Math.min(start + plan.multi, septets);
      // An ESC septet always opens a pair (the shift tables have no character at 0x1B), so never end on one.
      if (end < septets && septetBuffer[end - 1] === ESCAPE) end--;
      let escapes = 0;
      for (let i = start; i < end; i++) if (septetBuffer[i] === ESCAPE) escapes++;
      const charEnd = charStart + (end - start) - escapes;
      const concat = { ref: concatRef, total: plan.parts, seq, refSize };
      parts.push({
        seq,
        text: text.slice(charStart, charEnd),
        payload: septetBuffer.subarray(start, end),
        units: end - start,
        udh: [concatElement(concat), ...shifts],
        concat,
      });
      start = end;
      charStart = charEnd;
    }
  }
  return {
    encoding: 'gsm7',
    shiftTables: tables,
    text,
    substitutions,
    characters: text.length,
    parts,
    remainingInLastPart: remaining(plan),
    udhBytes: plan.parts === 1 ? (plan.shiftOctets === 0 ? 0 : 1 + plan.shiftOctets) : 1 + CONCAT_IE_OCTETS[refSize] + plan.shiftOctets,
  };
}

function buildUcs2(text: string, concatRef: number, refSize: ConcatRefSize, maxParts: number): EncodedMessage {
  const bad = firstUnpairedSurrogate(text);
  if (bad >= 0) throw unpairedSurrogate(text, bad);
  const plan = planUcs2(text, refSize);
  if (plan.parts > maxParts) throw tooManyParts(plan.parts, maxParts, 'ucs2');
  const octets = allocOctets(text.length * 2);
  writeUcs2(text, 0, text.length, octets, 0);
  const parts: SegmentPart[] = [];
  if (plan.parts === 1) {
    parts.push({ seq: 1, text, payload: octets, units: text.length, udh: [] });
  } else {
    let start = 0;
    for (let seq = 1; seq <= plan.parts; seq++) {
      const end = ucs2PartEnd(text, start, plan.multi);
      const concat = { ref: concatRef, total: plan.parts, seq, refSize };
      parts.push({
        seq,
        text: text.slice(start, end),
        payload: octets.subarray(start * 2, end * 2),
        units: end - start,
        udh: [concatElement(concat)],
        concat,
      });
      start = end;
    }
  }
  return {
    encoding: 'ucs2',
    shiftTables: {},
    text,
    substitutions: [],
    characters: countCodePoints(text),
    parts,
    remainingInLastPart: (plan.parts === 1 ? plan.single : plan.multi) - plan.lastUsed,
    udhBytes: plan.parts === 1 ? 0 : 1 + CONCAT_IE_OCTETS[refSize],
  };
}

export interface BinaryOptions {
  /** Elements kept on every part (e.g. application port addressing); concatenation is added when split. */
  readonly udh?: readonly UdhElement[];
  readonly maxParts?: number;
  readonly concatRef?: number;
  readonly refSize?: ConcatRefSize;
}

/** Cuts an 8-bit payload into parts; `characters` counts octets. */
export function encodeBinary(payload: Uint8Array, options: BinaryOptions = {}): EncodedMessage {
  const { maxParts, concatRef, refSize } = settings(options);
  const callerUdh = options.udh ?? [];
  const callerOctets = udhLength(callerUdh);
  const single = octetCapacity(callerOctets);
  const hasConcat = callerUdh.some((element) => element.iei === 0x00 || element.iei === 0x08);
  if (single < 0) {
    throw codecError('CODEC_PAYLOAD_TOO_LONG', `UDH of ${callerOctets} octets exceeds ${USER_DATA_OCTETS}`, { udhBytes: callerOctets });
  }
  if (payload.length <= single) {
    return {
      encoding: 'binary',
      shiftTables: {},
      text: '',
      substitutions: [],
      characters: payload.length,
      parts: [{ seq: 1, text: '', payload, units: payload.length, udh: callerUdh }],
      remainingInLastPart: single - payload.length,
      udhBytes: callerOctets,
    };
  }
  if (hasConcat) {
    throw codecError('CODEC_PAYLOAD_TOO_LONG', `${payload.length} octets exceed ${single} and the UDH already has a concatenation element`, {
      octets: payload.length,
      capacity: single,
    });
  }
  const udhBytes = (callerOctets === 0 ? 1 : callerOctets) + CONCAT_IE_OCTETS[refSize];
  const multi = octetCapacity(udhBytes);
  if (multi <= 0) {
    throw codecError('CODEC_PAYLOAD_TOO_LONG', `UDH of ${udhBytes} octets leaves no room for data`, { udhBytes });
  }
  const total = Math.ceil(payload.length / multi);
  if (total > maxParts) throw tooManyParts(total, maxParts, 'binary');
  const parts: SegmentPart[] = [];
  for (let seq = 1; seq <= total; seq++) {
    const chunk = payload.slice((seq - 1) * multi, Math.min(seq * multi, payload.length));
    const concat = { ref: concatRef, total, seq, refSize };
    parts.push({ seq, text: '', payload: chunk, units: chunk.length, udh: [concatElement(concat), ...callerUdh], concat });
  }
  return {
    encoding: 'binary',
    shiftTables: {},
    text: '',
    substitutions: [],
    characters: payload.length,
    parts,
    remainingInLastPart: multi - (payload.length - (total - 1) * multi),
    udhBytes,
  };
}
