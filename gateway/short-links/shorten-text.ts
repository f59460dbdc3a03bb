/**
 * `shortenUrls`: the http and https URLs of a text replaced by short links, before the text is encoded (so the
 * parts and their count hold the short links). URLs are found by linkifyjs; only those written with their
 * scheme are shortened (`example.com` alone stays as written, as Twilio does). A URL with an ASCII host ends
 * before the first non-ASCII character: Japanese text often follows a URL with no space between.
 * The same URL twice in a text gets one link.
 */
import { find } from 'linkifyjs';

const WITH_SCHEME = /^https?:\/\//i;
const NON_ASCII = /[^\x21-\x7e]/;

export interface FoundUrl {
  readonly start: number;
  readonly end: number;
  readonly url: string;
}

/** The URLs to shorten in a text, in order. */
export function urlsIn(text: string): FoundUrl[] {
  const found: FoundUrl[] = [];
  for (const match of find(text, 'url')) {
    if (!WITH_SCHEME.test(match.value)) continue;
    let url = match.value;
    const hostEnd = url.indexOf('/', url.indexOf('//') + 2);
    const host = hostEnd < 0 ? url : url.slice(0, hostEnd);
    if (!NON_ASCII.test(host)) {
      const cut = url.search(NON_ASCII);
      if (cut >= 0) url = url.slice(0, cut);
    }
    if (!isHttpUrl(url)) continue;
    found.push({ start: match.start, end: match.start + url.length, url });
  }
  return found;
}

/** The text with each URL replaced by `shorten(url)` (called once per distinct URL, in order). */
export async function shortenUrlsIn(text: string, shorten: (url: string) => Promise<string>): Promise<string> {
  const urls = urlsIn(text);
  if (urls.length === 0) return text;
  const links = new Map<string, string>();
  for (const { url } of urls) if (!links.has(url)) links.set(url, await shorten(url));
  let out = '';
  let at = 0;
  for (const { start, end, url } of urls) {
    out += text.slice(at, start) + (links.get(url) ?? url);
    at = end;
  }
  return out + text.slice(at);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
