import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Frame } from '@playwright/test';
import { eventChannel, type ContractEvent, type ContractEvents } from '../../src-preload/contract';
import type { ServiceCalls, ServiceEventSource } from '../../src-main/core/api';
import { forwardServiceEvents } from '../../src-main/electron/ipc/events';
import {
  registerServiceHandlers,
  trustedAppSender,
  type IpcMainLike,
} from '../../src-main/electron/ipc/typed-ipc';

/**
 * Only Electron's transport, replaced: the real preload, the real IPC wrappers, the real events.
 *
 * The page runs the BUILT preload (`out/preload/index.cjs`) as an init script, with a stand-in
 * for the `electron` module: `contextBridge.exposeInMainWorld` defines the global, and
 * `ipcRenderer.invoke` crosses into the test process through one Playwright binding. There the
 * call reaches a stand-in `ipcMain` whose handlers were registered by the real
 * `registerServiceHandlers`, so the sender check (the calling frame must be the page's main frame
 * on the app's origin), the size limit and the schemas all run. Events go out through the real
 * `forwardServiceEvents` into a stand-in `WebContents.send`, which dispatches into every page.
 */

const PRELOAD = resolve(import.meta.dirname, '../../out/preload/index.cjs');
const BINDING = '__tokendeckIpc';
const EVENT_NAME = 'tokendeck:e2e-ipc-event';

/** The page side: a stand-in `electron` module, then the preload's CommonJS body. */
function pageScript(preloadSource: string): string {
  return `(() => {
  const binding = window[${JSON.stringify(BINDING)}];
  delete window[${JSON.stringify(BINDING)}];
  if (typeof binding !== 'function') return;
  const listeners = new Map();
  window.addEventListener(${JSON.stringify(EVENT_NAME)}, (event) => {
    const { channel, payload } = event.detail;
    for (const listener of [...(listeners.get(channel) ?? [])]) listener({}, payload);
  });
  const electronStandIn = {
    contextBridge: {
      exposeInMainWorld(key, api) {
        Object.defineProperty(window, key, { value: api, writable: false, configurable: false });
      },
    },
    ipcRenderer: {
      invoke: (channel, arg) => binding(channel, arg),
      on(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel).add(listener);
      },
      removeListener(channel, listener) {
        listeners.get(channel)?.delete(listener);
      },
    },
  };
  const require = (name) => {
    if (name === 'electron') return electronStandIn;
    throw new Error('A sandboxed preload can only require electron, not ' + name);
  };
  const module = { exports: {} };
  // The preload's own scope, as Node's CommonJS wrapper gives it one.
  (function (exports, require, module) {
    ${preloadSource}
  })(module.exports, require, module);
})();`;
}

/** Electron's WebFrameMain, as far as the wrappers look at it: one object per frame. */
interface FrameStandIn {
  readonly url: string;
}

export interface Bridge {
  /** Dispatches one contract event into every open page, as main's `webContents.send` does. */
  emit<E extends ContractEvent>(event: E, payload: ContractEvents[E]): Promise<void>;
  /** Dispatches many events of one kind in one round trip (a thousand accounts arriving). */
  emitMany<E extends ContractEvent>(event: E, payloads: Array<ContractEvents[E]>): Promise<void>;
  /** Failures met while dispatching events (a page mid-navigation); tests may assert it empty. */
  readonly errors: string[];
  /** Channels called that had no handler (Electron would reject these). */
  readonly unhandled: string[];
  /** Stops forwarding events and removes every handler. */
  stop(): void;
}

/** Installs the preload, the stand-in ipcMain with the real handlers, and event forwarding. */
export async function installBridge(
  context: BrowserContext,
  service: ServiceCalls & ServiceEventSource,
  appOrigin: string,
): Promise<Bridge> {
  const handlers = new Map<string, (event: never, arg: unknown) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const removeHandlers = registerServiceHandlers(ipcMain, service, {
    isTrustedSender: trustedAppSender({ devServerUrl: appOrigin }),
  });

  const frames = new WeakMap<Frame, FrameStandIn>();
  const standIn = (frame: Frame): FrameStandIn => {
    let found = frames.get(frame);
    if (!found) {
      found = {
        get url() {
          return frame.url();
        },
      };
      frames.set(frame, found);
    }
    return found;
  };

  const unhandled: string[] = [];
  await context.exposeBinding(BINDING, async (source, channel: unknown, arg: unknown) => {
    const listener = typeof channel === 'string' ? handlers.get(channel) : undefined;
    if (!listener) {
      unhandled.push(String(channel));
      throw new Error(`No handler registered for '${String(channel)}'`);
    }
    const event = {
      sender: { mainFrame: standIn(source.page.mainFrame()) },
      senderFrame: standIn(source.frame),
    };
    return listener(event as never, arg);
  });
  await context.addInitScript({ content: pageScript(readFileSync(PRELOAD, 'utf8')) });

  const errors: string[] = [];
  const sendAll = async (channel: string, payloads: unknown[]) => {
    await Promise.all(
      context
        .pages()
        .filter((page) => !page.isClosed())
        .map((page) =>
          page
            .evaluate(
              ({ eventName, channel, payloads }) => {
                for (const payload of payloads) {
                  window.dispatchEvent(
                    new CustomEvent(eventName, { detail: { channel, payload } }),
                  );
                }
              },
              { eventName: EVENT_NAME, channel, payloads },
            )
            .catch((error: unknown) => {
              errors.push(String(error));
            }),
        ),
    );
  };
  const send = (channel: string, payload: unknown) => sendAll(channel, [payload]);
  const webContents = {
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) => void send(channel, payload),
  };
  const stopEvents = forwardServiceEvents(service, () => webContents as never);

  return {
    emit: (event, payload) => send(eventChannel(event), payload),
    emitMany: (event, payloads) => sendAll(eventChannel(event), payloads),
    errors,
    unhandled,
    stop: () => {
      stopEvents();
      removeHandlers();
    },
  };
}
