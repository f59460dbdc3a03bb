/**
 * A quote: what a submit of a request would meet now, without sending or storing anything. The accept path's own
 * steps run (text policy, routing with MNP and the HLR hook, sender rules, the suppression check, the send window,
 * the carrier profile and the codec), and where a submit stops at its first refusal a quote goes on and collects
 * them all, so a form can show every problem at once. What only a submit can know is left out: quotas and the
 * connector backlog (they are taken at the write), and the Idempotency-Key.
 *
 * The encoding part counts the parts under the destination carrier's profile (docomo's 16-bit reference: 66
 * UCS-2 characters a part, at most 10 parts = 660 characters; au, SoftBank and Rakuten 67 a part, 670), or under
 * the default profile when the recipient does not route. A text needing more parts than the cap is still counted
 * (the refusal is CODEC_TOO_MANY_PARTS, as a submit's).
 */
import { concatElement, encodeText, octetCapacity, septetCapacity, shiftElements, ucs2Capacity, udhLength, type EncodedMessage, type EncodeOptions } from '../../drivers/codec/index.ts';
import type { CodedError } from '../../common/index.ts';
import { isRefusedControl, type ControlCharacter } from './text-policy.ts';

export interface RouteQuote {
  /** E.164. */
  readonly to: string;
  readonly country: string | undefined;
  /** libphonenumber's type of the number (mobile, fixed-line, ...). */
  readonly numberType: string;
  readonly carrier: string;
  /** Where the carrier came from: hlr, mnp, ranges, carrier-data or default. */
  readonly carrierSource: string;
  readonly rule: string;
  readonly route: string;
  /** The connector the message would wait on first, then the failover order. */
  readonly connectors: readonly string[];
  /** Whether the first connector can take traffic now (false: the message would wait until a bind is up). */
  readonly connectorUp: boolean;
  /** The originator the first connector would submit with, after sender rules (absent: the connector's own). */
  readonly from?: string;
  /** Present when a sender rule would rewrite the originator. */
  readonly senderRewritten?: { readonly rule: string; readonly requested: string | null };
  /** The route's price per segment on the first connector, when it has one. */
  readonly pricePerSegment?: number;
  readonly currency?: string;
  /** The send window is closed at the send time: the message would wait until then (epoch ms). */
  readonly notBefore?: number;
}

export interface EncodingQuote {
  /** The carrier whose profile counted the parts; absent when the recipient did not route (the default profile). */
  readonly carrier?: string;
  /** The concatenation reference size of that profile (16 leaves one UCS-2 character less per part). */
  readonly refSize: 8 | 16;
  /** The most parts allowed: the request's, the account's and the carrier's limit, whichever is least. */
  readonly maxParts: number;
  readonly encoding: EncodedMessage['encoding'];
  /** Characters as a person counts them (code points); 0 for binary. */
  readonly characters: number;
  /** Units the text uses: septets (gsm7, an extension character counts two), UTF-16 units (ucs2) or octets (binary). */
  readonly units: number;
  /** Parts the message needs (may exceed maxParts: see the refusals). */
  readonly parts: number;
  /** Units one part holds when the message fits in one (160 / 70 / 140, less with shift tables). */
  readonly singlePartUnits: number;
  /** Units a part of a long message holds (153 / 67 / 134 on an 8-bit reference, 152 / 66 / 133 on a 16-bit one). */
  readonly partUnits: number;
  /** Units the message may hold at most under maxParts. */
  readonly maxUnits: number;
  /** Units left in the last part. */
  readonly remainingInLastPart: number;
  /** The transliterations applied (with `smart`). */
  readonly substitutions: EncodedMessage['substitutions'];
  readonly shiftTables: EncodedMessage['shiftTables'];
  /**
   * The text's characters that cannot go in GSM 7-bit (with the account's shift tables and `smart`), distinct, in
   * order of appearance, at most UCS2_CHARACTERS_SHOWN: what made an `auto` text UCS-2. Empty for a 7-bit text.
   */
  readonly ucs2Characters: readonly string[];
  /** How many distinct such characters the text has (beyond the ones listed). */
  readonly ucs2CharacterCount: number;
  /** Control characters a submit refuses (GW_CONTROL_CHARACTER names the first), all of them. */
  readonly controlCharacters: readonly ControlCharacter[];
  /** parts x pricePerSegment, when the route has a price. */
  readonly price?: number;
  readonly currency?: string;
}

export interface MessageQuote {
  /**
   * The refusals a submit of this request would meet now, in the order the accept path meets them; empty when it
   * would be accepted (quotas and the connector backlog aside). Only non-retriable coded errors are refusals: a
   * store or porting outage fails the quote itself.
   */
  readonly refusals: readonly CodedError[];
  /** How the recipient would be routed; absent when it cannot be (see the refusals). */
  readonly route?: RouteQuote;
  /** How the text or binary would be encoded and split; absent when neither is given or it cannot be encoded. */
  readonly encoding?: EncodingQuote;
}

/** At most this many UCS-2-forcing characters are listed (a Japanese text has hundreds). */
export const UCS2_CHARACTERS_SHOWN = 20;

/** The units a part holds, single and in a long message, for the encoded message's encoding and shift tables. */
export function partCapacities(encoded: EncodedMessage, refSize: 8 | 16): { singlePartUnits: number; partUnits: number } {
  const shifts = encoded.encoding === 'gsm7' ? shiftElements(encoded.shiftTables) : [];
  const single = udhLength(shifts);
  const multi = udhLength([concatElement({ ref: 0, total: 2, seq: 1, refSize }), ...shifts]);
  const capacity = encoded.encoding === 'gsm7' ? septetCapacity : encoded.encoding === 'ucs2' ? ucs2Capacity : octetCapacity;
  return { singlePartUnits: capacity(single), partUnits: capacity(multi) };
}

/**
 * The characters of `text` that alone already need UCS-2 under the same encode options (shift tables and `smart`
 * as the account and request give them): each distinct character is encoded on its own by the codec.
 */
export function ucs2Characters(text: string, options: Pick<EncodeOptions, 'shiftTables' | 'smart'>): { shown: string[]; count: number } {
  const shown: string[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (const character of text) {
    if (seen.has(character)) continue;
    seen.add(character);
    // Control characters are refused, not encoded (listed apart); a lone surrogate is the codec's refusal.
    if (isRefusedControl(character.codePointAt(0) as number) || !needsUcs2(character, options)) continue;
    count += 1;
    if (shown.length < UCS2_CHARACTERS_SHOWN) shown.push(character);
  }
  return { shown, count };
}

function needsUcs2(character: string, options: Pick<EncodeOptions, 'shiftTables' | 'smart'>): boolean {
  try {
    return encodeText(character, { ...options, encoding: 'auto', maxParts: 1 }).encoding === 'ucs2';
  } catch {
    return false;
  }
}
