import { describe, expect, it, vi } from 'vitest';
import {
  CONTRACT_EVENTS,
  eventChannel,
  type ContractEvent,
  type ContractEvents,
} from '../../../src-preload/contract';
import { forwardServiceEvents } from '../../../src-main/electron/ipc/events';

vi.mock('electron', () => ({}));

function fakeSource() {
  const listeners = new Map<ContractEvent, Set<(payload: unknown) => void>>();
  return {
    listeners,
    on<E extends ContractEvent>(event: E, listener: (payload: ContractEvents[E]) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      const set = listeners.get(event);
      set?.add(listener as (payload: unknown) => void);
      return () => set?.delete(listener as (payload: unknown) => void);
    },
    emit(event: ContractEvent, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}

describe('forwardServiceEvents', () => {
  it('forwards every contract event to the window on its channel, and stops', () => {
    const source = fakeSource();
    const contents = { send: vi.fn(), isDestroyed: () => false };
    const stop = forwardServiceEvents(source, () => contents as never);
    expect([...source.listeners.keys()]).toEqual([...CONTRACT_EVENTS]);
    source.emit('accountRemoved', { accountId: 'a1' });
    expect(contents.send).toHaveBeenCalledWith(eventChannel('accountRemoved'), { accountId: 'a1' });
    stop();
    source.emit('accountRemoved', { accountId: 'a2' });
    expect(contents.send).toHaveBeenCalledTimes(1);
  });

  it('skips a missing or destroyed window', () => {
    const source = fakeSource();
    const destroyed = { send: vi.fn(), isDestroyed: () => true };
    forwardServiceEvents(source, () => destroyed as never);
    forwardServiceEvents(source, () => null);
    source.emit('accountRemoved', { accountId: 'a1' });
    expect(destroyed.send).not.toHaveBeenCalled();
  });
});
