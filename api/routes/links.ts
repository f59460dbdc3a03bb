import type { FastifyInstance } from 'fastify';
import type { LinkService } from '../../gateway/index.ts';

/**
 * GET and HEAD /l/{code}: the short links, outside /v1 and without an API key (recipients follow them). A live
 * link answers 302 to its target; an unknown code 404 and an expired link 410, each with a small HTML page that
 * never names the target. Nothing is cached (each click must reach the gateway to be counted).
 */
export function linkRoutes(app: FastifyInstance, links: Pick<LinkService, 'follow'>): void {
  app.route<{ Params: { code: string } }>({
    method: ['GET', 'HEAD'],
    url: '/l/:code',
    schema: {
      tags: ['links'],
      summary: 'Follow a short link (counts the click; HEAD and link previewers count as bots)',
      security: [],
      params: { type: 'object', properties: { code: { type: 'string', description: 'the link code (base62)' } }, required: ['code'] },
      response: {
        302: { description: 'Redirect to the target (Location), with the click token `t` when the link carries one (never for bots)', type: 'null' },
        404: { description: 'No such link: an HTML page', content: { 'text/html': { schema: { type: 'string' } } } },
        410: { description: 'The link expired: an HTML page', content: { 'text/html': { schema: { type: 'string' } } } },
      },
    },
    handler: async (request, reply) => {
      const answer = await links.follow(request.params.code, { method: request.method, userAgent: request.headers['user-agent'] });
      void reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
      if (answer.outcome === 'redirect') return reply.code(302).header('location', answer.location).send();
      const gone = answer.outcome === 'expired';
      return reply
        .code(gone ? 410 : 404)
        .type('text/html; charset=utf-8')
        .send(page(gone ? 'This link has expired' : 'This link is not valid', gone ? 'The link you followed is no longer available.' : 'Check that the link was copied in full.'));
    },
  });
}

function page(title: string, text: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;
}
