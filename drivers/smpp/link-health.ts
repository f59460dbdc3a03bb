import type { LinkHealth } from '../transport/index.ts';
import type { BindSession } from './bind-session.ts';
import type { InFlight } from './bind-types.ts';

/**
 * One bind as `DriverHealth.links` shows it: up or not, its window in use against `windowSize` (0 for a receiver,
 * which sends no submits), and what an operator looks at when it is not up.
 */
export function linkHealth<J extends InFlight>(bind: BindSession<J>, windowSize: number): LinkHealth {
  return {
    id: bind.id,
    up: bind.state === 'bound',
    detail: {
      role: bind.role,
      state: bind.state,
      window: bind.window.size,
      windowSize: bind.role === 'receiver' ? 0 : windowSize,
      pendingInbound: bind.pendingInbound,
      readingPaused: bind.paused,
      failedAttempts: bind.failedAttempts,
      lastError: bind.lastError?.code ?? null,
      lastErrorMessage: bind.lastError?.message ?? null,
    },
  };
}
