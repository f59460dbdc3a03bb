/** The console's first page: who is signed in, and today's and this month's usage of the account. */
import type { FastifyInstance } from 'fastify';
import { signedInOf, viewData } from '../console-context.ts';
import type { ConsolePageDeps } from './page-deps.ts';

export function homePage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { gateway, now } = deps;
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const calendar = gateway.usage.calendar;
    const today = calendar.day(now());
    const monthStart = `${today.slice(0, 8)}01`;
    const month = await gateway.usage.report({ accountId: account.id, from: monthStart, to: today, groupBy: 'day' });
    const todayRow = month.rows.find((row) => row.key === today);
    return reply.type('text/html; charset=utf-8').viewAsync(
      'home.eta',
      viewData(request, reply, { today: { messages: todayRow?.messages ?? 0, segments: todayRow?.segments ?? 0 }, month: month.total, usageTimeZone: calendar.timeZone }),
    );
  });
}
