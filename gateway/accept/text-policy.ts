/**
 * What a message text may hold beyond what the codec can encode. Control characters are refused, except LF and CR:
 * GSM 03.38 carries only those two (0x0A, 0x0D; its other C0 positions are printable characters such as `@` at
 * 0x00, and FF only as the extension table's page break), and in UCS-2 handsets show the rest as boxes or
 * nothing, or act on them. So NUL, TAB, the other C0 controls (U+0000-U+001F), DEL (U+007F) and the C1
 * controls (U+0080-U+009F) are refused with the first one's position, never sent as they are.
 */
import { gatewayError } from '../errors.ts';

const ALLOWED_CONTROLS: ReadonlySet<number> = new Set([0x0a, 0x0d]);

/** A control character a text may not hold (all of C0 but LF and CR, DEL, C1). */
export function isRefusedControl(codePoint: number): boolean {
  return (codePoint <= 0x1f && !ALLOWED_CONTROLS.has(codePoint)) || (codePoint >= 0x7f && codePoint <= 0x9f);
}

/** A refused control character of a text: its position (in characters, as a person counts them) and U+XXXX. */
export interface ControlCharacter {
  readonly position: number;
  readonly character: string;
}

/** Every refused control character of the text, in order (a quote lists them all; a submit names the first). */
export function controlCharacters(text: string): ControlCharacter[] {
  const found: ControlCharacter[] = [];
  let position = 0;
  for (const character of text) {
    const codePoint = character.codePointAt(0) as number;
    if (isRefusedControl(codePoint)) found.push({ position, character: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}` });
    position += 1;
  }
  return found;
}

/** Throws GW_INVALID_REQUEST for an empty text and GW_CONTROL_CHARACTER naming the first refused character. */
export function checkText(text: string): void {
  if (text.length === 0) throw gatewayError('GW_INVALID_REQUEST', 'text is empty', { field: 'text' });
  const first = controlCharacters(text)[0];
  if (first !== undefined) {
    throw gatewayError('GW_CONTROL_CHARACTER', `${first.character} at position ${first.position}`, { field: 'text', position: first.position, character: first.character });
  }
}
