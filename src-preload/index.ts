import { contextBridge, ipcRenderer } from 'electron';
import {
  CONTRACT_EVENTS,
  CONTRACT_METHODS,
  callChannel,
  eventChannel,
  type ContractEvent,
  type ContractEvents,
  type TokendeckApi,
} from './contract';

/**
 * The preload: exposes exactly the contract as `window.tokendeck` (SECURITY 2).
 *
 * One named function per contract method, plus `on` for the contract's events. There is no
 * generic invoke, the IPC event object never reaches the page, and `ipcRenderer` itself is never
 * exposed. Sandboxed preloads cannot be ESM: this file is built as CommonJS.
 */

/** The part of `ipcRenderer` the API needs; tests hand in a fake. */
export interface IpcLike {
  invoke(channel: string, arg?: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

const EVENT_NAMES: ReadonlySet<string> = new Set(CONTRACT_EVENTS);

export function buildApi(ipc: IpcLike): TokendeckApi {
  const api: Record<string, unknown> = {};
  for (const method of CONTRACT_METHODS) {
    const channel = callChannel(method);
    const call = (arg?: unknown) => ipc.invoke(channel, arg);
    Object.defineProperty(call, 'name', { value: method });
    api[method] = call;
  }
  api.on = <E extends ContractEvent>(
    event: E,
    listener: (payload: ContractEvents[E]) => void,
  ): (() => void) => {
    if (!EVENT_NAMES.has(event)) throw new Error(`Unknown Tokendeck event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    const channel = eventChannel(event);
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as ContractEvents[E]);
    ipc.on(channel, wrapped);
    return () => {
      ipc.removeListener(channel, wrapped);
    };
  };
  return Object.freeze(api) as TokendeckApi;
}

contextBridge.exposeInMainWorld('tokendeck', buildApi(ipcRenderer));
