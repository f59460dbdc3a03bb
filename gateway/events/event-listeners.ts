import type { EventFilter } from '../ports/event-transport.ts';
import { eventStatus, type GatewayEvent } from './gateway-event.ts';

/** In-process subscribers of an event log; one that throws never disturbs the publisher or the others. */
export class EventListeners {
  private readonly listeners = new Map<(event: GatewayEvent) => void, EventFilter | undefined>();

  add(listener: (event: GatewayEvent) => void, filter?: EventFilter): () => void {
    this.listeners.set(listener, filter);
    return () => this.listeners.delete(listener);
  }

  /** Whether any listener wants events of this type and status. */
  interested(type: GatewayEvent['type'], status?: string): boolean {
    for (const filter of this.listeners.values()) if (filter === undefined || filter(type, status)) return true;
    return false;
  }

  /** Calls every listener after the current turn (so none runs inside the publisher's own code). */
  emit(event: GatewayEvent): void {
    const status = eventStatus(event);
    for (const [listener, filter] of this.listeners) {
      if (filter !== undefined && !filter(event.type, status)) continue;
      queueMicrotask(() => {
        try {
          listener(event);
        } catch {
          // Swallowed on purpose: see the class comment.
        }
      });
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
