/** `value` as a whole decimal number (spaces around it allowed), or undefined: no sign, point, exponent or unit. */
export function wholeNumber(value: string): number | undefined {
  return /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}
