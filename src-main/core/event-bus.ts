import type { ApiEvent, ApiEvents, ServiceEventSource } from './api';
import type { Logger } from './log';

type Listener<E extends ApiEvent> = (payload: ApiEvents[E]) => void;

/**
 * The service's events, typed by the API: `accountChanged`, `accountRemoved`, `flowProgress`,
 * `vaultStatusChanged` and `settingsChanged`.
 *
 * A listener that throws is logged and does not keep the event from the others.
 */
export class EventBus implements ServiceEventSource {
  private readonly listeners = new Map<ApiEvent, Set<Listener<ApiEvent>>>();

  constructor(private readonly logger: Logger) {}

  on<E extends ApiEvent>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<ApiEvent>);
    return () => set.delete(listener as Listener<ApiEvent>);
  }

  emit<E extends ApiEvent>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.logger.error('event listener failed', { event, error });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
