/**
 * SMPP 3.4 section 7.1.1.2 relative time format "YYMMDDhhmmss000R", used for validity_period.
 * Years and months count as 365 and 30 days, which is how SMSCs read them.
 */
export function relativeValidity(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds));
  const years = Math.min(99, Math.floor(rest / (365 * 86400)));
  rest -= years * 365 * 86400;
  const months = Math.floor(rest / (30 * 86400));
  rest -= months * 30 * 86400;
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(years)}${two(months)}${two(days)}${two(hours)}${two(minutes)}${two(secs)}000R`;
}
