import type { LinkHealth } from '../transport/index.ts';
import type { BindSession } from './bind-session.ts';
import type { InFlight } from './bind-types.ts';

/** One bind as `DriverHealth.links` shows it: up or not, and what an operator looks at when it is not. */
export function linkHealth<J extends InFlight>(bind: BindSession<J>): LinkHealth {
  return {
    id: bind.id,
    up: bind.state === 'bound',
    detail: {
      role: bind.role,
      state: bind.state,
      window: bind.window.size,
      pendingInbound: bind.pendingInbound,
      readingPaused: bind.paused,
      failedAttempts: bind.failedAttempts,
      lastError: bind.lastError?.code ?? null,
      lastErrorMessage: bind.lastError?.message ?? null,
    },
  };
}
