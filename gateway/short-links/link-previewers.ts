/**
 * Link previewers: chat apps and crawlers that fetch a link when it is posted or received, before (or without)
 * anyone clicking. Their requests, and every HEAD request, are counted as bot clicks and never as the
 * recipient's click. Matched by a User-Agent substring, case-insensitively; the list is data, extend it here.
 */
export const LINK_PREVIEWERS: readonly string[] = [
  'slackbot',
  'slack-imgproxy',
  'facebookexternalhit',
  'facebot',
  'twitterbot',
  'whatsapp',
  'line-poker', // LINE's preview fetcher
  'linespider',
  'googlebot',
  'google-pagerenderer',
  'bingbot',
  'applebot',
  'discordbot',
  'telegrambot',
  'skypeuripreview',
  'linkedinbot',
  'pinterest',
  'redditbot',
  'embedly',
  'vkshare',
  'yahoo! slurp',
  'duckduckbot',
  'yandexbot',
  'baiduspider',
  'mattermost-bot',
  'iframely',
];

/** Whether a request is a previewer's or a HEAD request (a bot click), from its method and User-Agent. */
export function isBotRequest(method: string, userAgent: string | undefined): boolean {
  if (method.toUpperCase() === 'HEAD') return true;
  if (userAgent === undefined) return false;
  const agent = userAgent.toLowerCase();
  return LINK_PREVIEWERS.some((name) => agent.includes(name));
}
