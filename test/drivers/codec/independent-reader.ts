/**
 * Reads SMS-SUBMIT PDUs with node-pdu (npm), an implementation independent of ours, so tests can check that what
 * we build reads the same elsewhere: text, destination, and the concatenation reference / total / part.
 */
import { parse } from 'node-pdu';

export interface IndependentReading {
  readonly text: string;
  /** Destination digits without '+', as node-pdu gives them. */
  readonly to: string | null;
  /** [ref, total, part] per PDU, or null without concatenation. */
  readonly concat: readonly ([number | undefined, number | undefined, number | undefined] | null)[];
}

export function readIndependently(hexes: readonly string[]): IndependentReading {
  const texts: string[] = [];
  const concat: IndependentReading['concat'][number][] = [];
  let to: string | null = null;
  for (const hex of hexes) {
    const pdu = parse(hex);
    if (!('messageReference' in pdu) || !('validityPeriod' in pdu)) throw new Error(`node-pdu did not read an SMS-SUBMIT: ${hex}`);
    to = pdu.address.phone;
    texts.push(pdu.data.getText());
    const header = pdu.data.parts[0]?.header ?? null;
    concat.push(header === null ? null : [header.getPointer(), header.getSegments(), header.getCurrent()]);
  }
  return { text: texts.join(''), to, concat };
}
