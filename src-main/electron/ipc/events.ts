import type { WebContents } from 'electron';
import { CONTRACT_EVENTS, eventChannel, type ContractEvent } from '../../../src-preload/contract';
import type { ServiceEventSource } from '../../core';

/**
 * Forwards every contract event from the service to one window.
 *
 * Events carry summaries only (never a token). A destroyed window is skipped. Returns a function
 * that stops forwarding.
 */
export function forwardServiceEvents(
  source: ServiceEventSource,
  target: () => WebContents | null,
): () => void {
  const forward = <E extends ContractEvent>(event: E) =>
    source.on(event, (payload) => {
      const contents = target();
      if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload);
    });
  const stops = CONTRACT_EVENTS.map((event) => forward(event));
  return () => {
    for (const stop of stops) stop();
  };
}
