/**
 * The GSM 03.38 default alphabet (3GPP TS 23.038 section 6.2.1), basic table only, as the set of characters an
 * alphanumeric originator may use. The router keeps its own copy so it never depends on the codec.
 * The escape code 0x1B is left out: extension characters are not allowed in an originator.
 */
const BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const GSM_BASIC: ReadonlySet<string> = new Set(BASIC_TABLE);

/** 127 characters: the 128 code points less the escape. */
export const GSM_BASIC_SIZE = GSM_BASIC.size;

export function isGsmBasicText(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch)) return false;
  return true;
}
