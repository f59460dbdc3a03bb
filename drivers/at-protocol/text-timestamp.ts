/** Text mode time stamp "yy/MM/dd,hh:mm:ss±zz" in the network's local time (TS 27.005 clause 3.3.1 <scts>). */
export function textTimestamp(date: Date, tzQuarterHours: number): string {
  const local = new Date(date.getTime() + tzQuarterHours * 15 * 60_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const zone = `${tzQuarterHours < 0 ? '-' : '+'}${two(Math.abs(tzQuarterHours))}`;
  const day = `${two(local.getUTCFullYear() % 100)}/${two(local.getUTCMonth() + 1)}/${two(local.getUTCDate())}`;
  return `${day},${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}${zone}`;
}
