import { EventListeners } from '../../events/event-listeners.ts';
import type { GatewayEvent } from '../../events/gateway-event.ts';
import type { EventFilter, EventLog } from '../../ports/event-log.ts';

/** In-process events for the embedded default: subscribers run after the publisher's turn, never inside it. */
export class MemoryEventLog implements EventLog {
  readonly shared = false;
  readonly accepting = true;
  private readonly listeners = new EventListeners();

  publish(event: GatewayEvent): Promise<void> {
    this.listeners.emit(event);
    return Promise.resolve();
  }

  interested(type: GatewayEvent['type'], status?: string): boolean {
    return this.listeners.interested(type, status);
  }

  subscribe(listener: (event: GatewayEvent) => void, filter?: EventFilter): () => void {
    return this.listeners.add(listener, filter);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
