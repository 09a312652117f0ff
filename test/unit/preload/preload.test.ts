import { describe, expect, it, vi } from 'vitest';
import {
  CONTRACT_EVENTS,
  CONTRACT_METHODS,
  callChannel,
  eventChannel,
} from '../../../src-preload/contract';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  return {
    listeners,
    exposeInMainWorld: vi.fn(),
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, arg?: unknown) => ({
        ok: true,
        value: { channel, arg },
      })),
      on: vi.fn((channel: string, listener: (event: unknown, payload: unknown) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      }),
      removeListener: vi.fn(
        (channel: string, listener: (event: unknown, payload: unknown) => void) => {
          listeners.get(channel)?.delete(listener);
        },
      ),
      send: vi.fn(),
      sendSync: vi.fn(),
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: electron.ipcRenderer,
}));

await import('../../../src-preload/index');

function exposed(): Record<string, unknown> {
  const call = electron.exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
  expect(call[0]).toBe('tokendeck');
  return call[1];
}

describe('preload (SECURITY 2)', () => {
  it('exposes window.tokendeck with exactly the contract methods plus on', () => {
    expect(electron.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(exposed()).sort()).toEqual([...CONTRACT_METHODS, 'on'].sort());
  });

  it('has no generic invoke, send or ipcRenderer', () => {
    const api = exposed();
    for (const key of ['invoke', 'send', 'sendSync', 'ipcRenderer', 'ipc', 'call', 'request']) {
      expect(api).not.toHaveProperty(key);
    }
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('gives each method one named function that invokes its own channel', async () => {
    const api = exposed() as Record<string, (arg?: unknown) => Promise<unknown>>;
    for (const method of CONTRACT_METHODS) {
      expect(typeof api[method]).toBe('function');
      expect(api[method]?.name).toBe(method);
    }
    await api.listAccounts?.();
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(
      callChannel('listAccounts'),
      undefined,
    );
    await expect(api.copyToken?.({ accountId: 'a1' })).resolves.toEqual({
      ok: true,
      value: { channel: callChannel('copyToken'), arg: { accountId: 'a1' } },
    });
  });

  it('subscribes to contract events, passes only the payload, and unsubscribes', () => {
    const api = exposed() as {
      on: (event: string, listener: (payload: unknown) => void) => () => void;
    };
    for (const event of CONTRACT_EVENTS) {
      const listener = vi.fn();
      const stop = api.on(event, listener);
      const channel = eventChannel(event);
      for (const registered of electron.listeners.get(channel) ?? []) {
        registered({ sender: 'ipc-event-object' }, { hello: event });
      }
      expect(listener).toHaveBeenCalledWith({ hello: event });
      expect(listener.mock.calls[0]).toHaveLength(1);
      stop();
      expect(electron.listeners.get(channel)?.size).toBe(0);
    }
  });

  it('refuses unknown events', () => {
    const api = exposed() as { on: (event: string, listener: () => void) => () => void };
    expect(() => api.on('tokendeck:call:revealToken', () => undefined)).toThrow(/Unknown/);
    expect(() => api.on('constructor', () => undefined)).toThrow(/Unknown/);
    expect(electron.ipcRenderer.on).not.toHaveBeenCalledWith(
      'tokendeck:call:revealToken',
      expect.anything(),
    );
  });
});
