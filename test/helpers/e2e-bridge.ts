import type { BrowserContext } from '@playwright/test';
import {
  CONTRACT_EVENTS,
  CONTRACT_METHODS,
  type ContractEvent,
  type ContractEvents,
  type ContractMethod,
} from '../../src-preload/contract';
import { toErrorPayload } from '../../src-main/core/errors';
import type { ServiceCalls, ServiceEventSource } from '../../src-main/core/api';
import { CONTRACT_SCHEMAS } from '../../src-main/core/api-schemas';

/**
 * Stands in for the preload in the browser harness: `window.tokendeck`, wired to the real
 * service in the test process.
 *
 * Calls cross through one Playwright binding and are checked like the real IPC wrapper does:
 * the method must be in the contract and the argument must pass its schema. The page gets an
 * object built from the contract's method list (not a Proxy: a catch-all Proxy answers `then`
 * and hangs `await`), plus `on` for the contract's events. Events are dispatched into every page
 * as a DOM event the init script listens for.
 */

const BINDING = '__tokendeckCall';
const EVENT_NAME = 'tokendeck:e2e-event';

function isContractMethod(method: unknown): method is ContractMethod {
  return typeof method === 'string' && (CONTRACT_METHODS as readonly string[]).includes(method);
}

async function callService(service: ServiceCalls, method: unknown, arg: unknown) {
  if (!isContractMethod(method)) {
    return { ok: false, code: 'invalid_input', message: 'unknown method' };
  }
  const parsed = CONTRACT_SCHEMAS[method].safeParse(arg);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.');
    return {
      ok: false,
      code: 'invalid_input',
      message: `Invalid argument for ${method}: ${field ? `${field}: ` : ''}${parsed.error.issues[0]?.message}.`,
    };
  }
  try {
    const call = service[method] as (value: unknown) => Promise<unknown>;
    return { ok: true, value: await call.call(service, parsed.data) };
  } catch (error) {
    const { code, message } = toErrorPayload(error);
    return { ok: false, code, message };
  }
}

/** Builds `window.tokendeck` in the page; runs before any page script. */
function installApi({
  binding,
  eventName,
  methods,
  events,
}: {
  binding: string;
  eventName: string;
  methods: string[];
  events: string[];
}) {
  const scope = window as unknown as Record<string, unknown>;
  const bridge = scope[binding] as (method: string, arg: unknown) => Promise<unknown>;
  delete scope[binding];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  window.addEventListener(eventName, (event) => {
    const { name, payload } = (event as CustomEvent<{ name: string; payload: unknown }>).detail;
    for (const listener of listeners.get(name) ?? []) listener(payload);
  });
  const api: Record<string, unknown> = {};
  for (const method of methods) {
    api[method] = (arg?: unknown) => bridge(method, arg);
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (!events.includes(event)) throw new Error(`Unknown Tokendeck event: ${event}`);
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)?.add(listener);
    return () => {
      listeners.get(event)?.delete(listener);
    };
  };
  Object.defineProperty(window, 'tokendeck', {
    value: Object.freeze(api),
    writable: false,
    configurable: false,
  });
}

export interface Bridge {
  /** Dispatches one contract event into every open page. */
  emit<E extends ContractEvent>(event: E, payload: ContractEvents[E]): Promise<void>;
  /** Failures met while dispatching events (a page mid-navigation); tests may assert it empty. */
  readonly errors: string[];
  /** Stops forwarding the service's events. */
  stop(): void;
}

/** Installs the binding, the init script and the event forwarding on a browser context. */
export async function installBridge(
  context: BrowserContext,
  service: ServiceCalls & ServiceEventSource,
): Promise<Bridge> {
  await context.exposeBinding(BINDING, (_source, method: unknown, arg: unknown) =>
    callService(service, method, arg),
  );
  await context.addInitScript(installApi, {
    binding: BINDING,
    eventName: EVENT_NAME,
    methods: [...CONTRACT_METHODS],
    events: [...CONTRACT_EVENTS],
  });
  const errors: string[] = [];
  const emit = async <E extends ContractEvent>(event: E, payload: ContractEvents[E]) => {
    await Promise.all(
      context
        .pages()
        .filter((page) => !page.isClosed())
        .map((page) =>
          page
            .evaluate(
              ({ eventName, name, detail }) =>
                window.dispatchEvent(
                  new CustomEvent(eventName, { detail: { name, payload: detail } }),
                ),
              { eventName: EVENT_NAME, name: event, detail: payload as unknown },
            )
            .catch((error: unknown) => {
              errors.push(String(error));
            }),
        ),
    );
  };
  const stops = CONTRACT_EVENTS.map((event) =>
    service.on(event, (payload) => {
      void emit(event, payload);
    }),
  );
  return {
    emit,
    errors,
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}
