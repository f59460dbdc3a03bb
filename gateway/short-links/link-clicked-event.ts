import type { LinkClickedEvent } from '../events/gateway-event.ts';
import type { LinkClick } from './link-service.ts';

/** The `link.clicked` event of a counted click (the target goes only to the link's account). */
export function linkClickedEvent(click: LinkClick): LinkClickedEvent {
  const { link } = click;
  const kind = click.kind === 'bot' ? 'bot' : click.first ? 'first' : 'repeat';
  return {
    type: 'link.clicked',
    version: 1,
    id: `${link.code}:${kind}:${kind === 'bot' ? link.botClicks : link.clicks}`,
    code: link.code,
    accountId: link.accountId,
    kind,
    at: new Date(click.at).toISOString(),
    target: link.target,
    clicks: link.clicks,
    botClicks: link.botClicks,
    ...(link.firstClickAt === undefined ? {} : { firstClickAt: new Date(link.firstClickAt).toISOString() }),
    expiresAt: new Date(link.expiresAt).toISOString(),
    ...(link.messageId === undefined ? {} : { messageId: link.messageId }),
    ...(link.campaignId === undefined ? {} : { campaignId: link.campaignId }),
    ...(link.recipient === undefined ? {} : { recipient: link.recipient }),
  };
}
