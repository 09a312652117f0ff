import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import type { ZodType } from 'zod';
import {
  CONTRACT_METHODS,
  callChannel,
  type ContractCalls,
  type ContractMethod,
  type IpcResult,
} from '../../../src-preload/contract';
import {
  CONTRACT_SCHEMAS,
  isTokendeckError,
  toErrorPayload,
  type Logger,
  type ServiceCalls,
} from '../../core';
import { isAppUrl, type AppOrigins } from '../app-origin';

/**
 * The typed IPC wrappers: one typed IPC map, and the only way a contract call is registered.
 *
 * Every handler first checks who sent the message (SECURITY 8): a null sender frame, a
 * sub-frame, or a frame whose page is not the app's own is refused with `unauthorized_sender`
 * and the handler never runs. Then the argument is size-checked and schema-validated
 * (SECURITY 9); a failure is `invalid_input` naming the field, before any state can change.
 * Results and errors travel as {@link IpcResult}: calls never reject across IPC.
 *
 * Nothing here imports Electron's values, only its types: `ipcMain` is handed in (see
 * `electron-ipc.ts`), so the end-to-end harness runs these same wrappers with a stand-in.
 */

/** The part of Electron's `ipcMain` the wrappers use. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, arg: unknown) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/** Payloads above this size, as JSON, are refused before parsing. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export interface HandleOptions {
  /** True when the frame is our own window's main frame showing our own page. */
  isTrustedSender(frame: WebFrameMain): boolean;
  /** Where unexpected (non-Tokendeck) handler errors are logged, redacted. */
  logger?: Logger;
}

type Handler<M extends ContractMethod> = (
  arg: ContractCalls[M]['arg'],
) => Promise<ContractCalls[M]['result']>;

/** The sender check: the app's page, by URL (`app://tokendeck` or the dev server's origin). */
export function trustedAppSender(origins: AppOrigins = {}): (frame: WebFrameMain) => boolean {
  return (frame) => isAppUrl(frame.url, origins);
}

function payloadSize(arg: unknown): number | null {
  try {
    const json = JSON.stringify(arg);
    return json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
  } catch {
    return null;
  }
}

function describeIssues(
  method: string,
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `Invalid argument for ${method}: ${parts.join('; ')}${more}.`;
}

/**
 * Builds the listener that {@link handle} registers; exported so tests can drive it directly.
 */
export function createInvokeListener<M extends ContractMethod>(
  method: M,
  schema: ZodType<ContractCalls[M]['arg']>,
  handler: Handler<M>,
  options: HandleOptions,
): (event: IpcMainInvokeEvent, arg: unknown) => Promise<IpcResult<ContractCalls[M]['result']>> {
  return async (event, arg) => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !options.isTrustedSender(frame)) {
      return {
        ok: false,
        code: 'unauthorized_sender',
        message: `${method} was refused: it did not come from the Tokendeck window.`,
      };
    }
    const size = payloadSize(arg);
    if (size === null || size > MAX_PAYLOAD_BYTES) {
      return {
        ok: false,
        code: 'invalid_input',
        message:
          size === null
            ? `Invalid argument for ${method}: it is not plain data.`
            : `Invalid argument for ${method}: the payload is larger than ${MAX_PAYLOAD_BYTES} bytes.`,
      };
    }
    const parsed = schema.safeParse(arg);
    if (!parsed.success) {
      return {
        ok: false,
        code: 'invalid_input',
        message: describeIssues(method, parsed.error.issues),
      };
    }
    try {
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (!isTokendeckError(error)) {
        options.logger?.error('IPC handler failed', { method, error });
      }
      const { code, message } = toErrorPayload(error);
      return { ok: false, code, message };
    }
  };
}

/**
 * Registers the handler of one contract call; returns a function that removes it.
 */
export function handle<M extends ContractMethod>(
  ipcMain: IpcMainLike,
  method: M,
  schema: ZodType<ContractCalls[M]['arg']>,
  handler: Handler<M>,
  options: HandleOptions,
): () => void {
  const channel = callChannel(method);
  ipcMain.handle(channel, createInvokeListener(method, schema, handler, options));
  return () => ipcMain.removeHandler(channel);
}

/**
 * Registers every contract call against the service; returns a function that removes them all.
 *
 * The service may still be opening (the window comes first, and the OS keychain can take a
 * while): each call then waits for it, and fails with its error if it never opens.
 */
export function registerServiceHandlers(
  ipcMain: IpcMainLike,
  service: ServiceCalls | Promise<ServiceCalls>,
  options: HandleOptions,
): () => void {
  const register = <M extends ContractMethod>(method: M) =>
    handle(
      ipcMain,
      method,
      CONTRACT_SCHEMAS[method],
      async (arg) => (await service)[method](arg),
      options,
    );
  const removers = CONTRACT_METHODS.map((method) => register(method));
  return () => {
    for (const remove of removers) remove();
  };
}
