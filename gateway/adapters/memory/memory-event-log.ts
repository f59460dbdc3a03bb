import type { GatewayEvent } from '../../events/gateway-event.ts';
import type { EventLog } from '../../ports/event-log.ts';

/** In-process events for the embedded default: subscribers run after the publisher's turn, never inside it. */
export class MemoryEventLog implements EventLog {
  readonly shared = false;
  readonly accepting = true;
  private readonly listeners = new Set<(event: GatewayEvent) => void>();

  publish(event: GatewayEvent): Promise<void> {
    for (const listener of this.listeners) {
      queueMicrotask(() => {
        try {
          listener(event);
        } catch {
          // A failing subscriber must not disturb the publisher or the other subscribers.
        }
      });
    }
    return Promise.resolve();
  }

  subscribe(listener: (event: GatewayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
