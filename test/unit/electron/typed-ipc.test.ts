import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTRACT_METHODS, callChannel, type ContractMethod } from '../../../src-preload/contract';
import { TokendeckError } from '../../../src-main/core/errors';
import type { ServiceCalls } from '../../../src-main/core/api';
import { CONTRACT_SCHEMAS } from '../../../src-main/core/api-schemas';
import {
  createInvokeListener,
  handle,
  registerServiceHandlers,
  trustedAppSender,
  MAX_PAYLOAD_BYTES,
} from '../../../src-main/electron/ipc/typed-ipc';

/** A stand-in for Electron's ipcMain: the wrappers take it as an argument. */
const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };

type Listener = (event: unknown, arg: unknown) => Promise<unknown>;

const APP_PAGE = 'app://tokendeck/index.html';

/** An invoke event from our window's main frame, unless told otherwise. */
function eventFrom(options: { url?: string; frame?: 'main' | 'sub' | 'null' } = {}) {
  const mainFrame = { url: options.url ?? APP_PAGE };
  const senderFrame =
    options.frame === 'null' ? null : options.frame === 'sub' ? { url: APP_PAGE } : mainFrame;
  return { sender: { mainFrame }, senderFrame };
}

const trusted = { isTrustedSender: trustedAppSender() };

function listenerFor<M extends ContractMethod>(method: M, handler = vi.fn()) {
  return {
    handler,
    listener: createInvokeListener(method, CONTRACT_SCHEMAS[method], handler, trusted) as Listener,
  };
}

beforeEach(() => {
  ipcMain.handle.mockReset();
  ipcMain.removeHandler.mockReset();
});

describe('typed IPC wrapper: the sender (SECURITY 8)', () => {
  it.each([
    ['a null sender frame', eventFrom({ frame: 'null' })],
    ['a sub-frame', eventFrom({ frame: 'sub' })],
    ['a foreign origin', eventFrom({ url: 'https://evil.example/index.html' })],
    ['a look-alike host', eventFrom({ url: 'app://tokendeck.evil/index.html' })],
    ['a file: page', eventFrom({ url: 'file:///tmp/index.html' })],
  ])('refuses %s and never calls the handler', async (_name, event) => {
    const { handler, listener } = listenerFor('listAccounts');
    const result = await listener(event, undefined);
    expect(result).toMatchObject({ ok: false, code: 'unauthorized_sender' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('accepts the dev server origin only when it is configured', async () => {
    const handler = vi.fn().mockResolvedValue([]);
    const dev = createInvokeListener('listAccounts', CONTRACT_SCHEMAS.listAccounts, handler, {
      isTrustedSender: trustedAppSender({ devServerUrl: 'http://localhost:5173' }),
    }) as Listener;
    expect(await dev(eventFrom({ url: 'http://localhost:5173/' }), undefined)).toEqual({
      ok: true,
      value: [],
    });
    const { listener } = listenerFor('listAccounts', handler);
    expect(await listener(eventFrom({ url: 'http://localhost:5173/' }), undefined)).toMatchObject({
      code: 'unauthorized_sender',
    });
  });
});

describe('typed IPC wrapper: the argument (SECURITY 9)', () => {
  it('passes good arguments to the handler and wraps the result', async () => {
    const handler = vi.fn().mockResolvedValue({ expiresAt: 123 });
    const { listener } = listenerFor('copyToken', handler);
    const result = await listener(eventFrom(), { accountId: 'acc-1' });
    expect(handler).toHaveBeenCalledWith({ accountId: 'acc-1' });
    expect(result).toEqual({ ok: true, value: { expiresAt: 123 } });
  });

  it.each([
    ['copyToken', { accountId: 42 }, 'accountId'],
    ['copyToken', {}, 'accountId'],
    ['copyToken', { accountId: 'a', extra: true }, 'extra'],
    ['copyToken', 'acc-1', 'expected object'],
    ['getProvider', { id: 'Bad Id!' }, 'id'],
    ['listAccounts', { sneaky: true }, 'expected undefined'],
    ['allowInsecureKeychain', { confirm: false }, 'confirm'],
    ['setPassphrase', { passphrase: '' }, 'passphrase'],
    ['saveProvider', { profile: { id: 'x' } }, 'profile.'],
  ] as const)('refuses %s(%j) with a message naming %s', async (method, arg, field) => {
    const { handler, listener } = listenerFor(method);
    const result = (await listener(eventFrom(), arg)) as {
      ok: boolean;
      code: string;
      message: string;
    };
    expect(result.ok).toBe(false);
    expect(result.code).toBe('invalid_input');
    expect(result.message).toContain(`Invalid argument for ${method}`);
    expect(result.message).toContain(field);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses payloads over 1 MB before validating them', async () => {
    const { handler, listener } = listenerFor('sendRequest');
    const big = {
      kind: 'rest',
      requestId: 'r1',
      accountId: 'a1',
      method: 'POST',
      url: '/upload',
      body: { type: 'raw', text: 'x'.repeat(MAX_PAYLOAD_BYTES) },
    };
    const result = await listener(eventFrom(), big);
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    expect((result as { message: string }).message).toMatch(/larger than/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses data that is not plain (cycles)', async () => {
    const { handler, listener } = listenerFor('copyToken');
    const cyclic: Record<string, unknown> = { accountId: 'a' };
    cyclic.self = cyclic;
    expect(await listener(eventFrom(), cyclic)).toMatchObject({ code: 'invalid_input' });
    expect(handler).not.toHaveBeenCalled();
  });

  describe('sendRequest', () => {
    const rest = { kind: 'rest', requestId: 'r1', accountId: 'a1', method: 'GET', url: '/me' };

    it('accepts a REST and a GraphQL request', async () => {
      const { handler, listener } = listenerFor('sendRequest', vi.fn().mockResolvedValue({}));
      expect(await listener(eventFrom(), rest)).toMatchObject({ ok: true });
      const graphql = {
        kind: 'graphql',
        requestId: 'r2',
        accountId: 'a1',
        query: 'query Me { me { id } }',
        variables: { first: 10 },
        operationName: 'Me',
        headers: [['X-Trace', 'abc']],
      };
      expect(await listener(eventFrom(), graphql)).toMatchObject({ ok: true });
      expect(handler).toHaveBeenCalledTimes(2);
    });

    it.each([
      ['a CR/LF header value', { ...rest, headers: [['X-A', 'a\r\nInjected: 1']] }, 'headers.0.1'],
      ['a header name with a space', { ...rest, headers: [['X A', 'a']] }, 'headers.0.0'],
      ['a header name with a colon', { ...rest, headers: [['X-A:', 'a']] }, 'headers.0.0'],
      ['a javascript: URL', { ...rest, url: 'javascript:alert(1)' }, 'url'],
      ['a file: URL', { ...rest, url: 'file:///etc/passwd' }, 'url'],
      ['a protocol-relative URL', { ...rest, url: '//evil.example/x' }, 'url'],
      ['an unknown kind', { ...rest, kind: 'soap' }, 'kind'],
      [
        'a missing requestId',
        { kind: 'rest', accountId: 'a1', method: 'GET', url: '/me' },
        'requestId',
      ],
      ['a bad method', { ...rest, method: 'GET /x' }, 'method'],
      ['an unknown key', { ...rest, token: 'x' }, 'token'],
    ])('refuses %s', async (_name, arg, field) => {
      const { handler, listener } = listenerFor('sendRequest');
      const result = (await listener(eventFrom(), arg)) as { code: string; message: string };
      expect(result.code).toBe('invalid_input');
      expect(result.message).toContain(field);
      expect(handler).not.toHaveBeenCalled();
    });
  });

  it('validates exportCurl as { spec, options? }', async () => {
    const { listener } = listenerFor('exportCurl', vi.fn().mockResolvedValue({ command: 'curl' }));
    const spec = { kind: 'rest', accountId: 'a1', method: 'GET', url: 'https://api.example/me' };
    expect(await listener(eventFrom(), { spec })).toMatchObject({ ok: true });
    expect(await listener(eventFrom(), { spec, options: { inlineToken: true } })).toMatchObject({
      ok: true,
    });
    expect(await listener(eventFrom(), { spec: { ...spec, requestId: 'r' } })).toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('typed IPC wrapper: errors', () => {
  it('turns a TokendeckError into its payload', async () => {
    const handler = vi.fn().mockRejectedValue(new TokendeckError('not_found', 'No such account.'));
    const { listener } = listenerFor('copyToken', handler);
    expect(await listener(eventFrom(), { accountId: 'a' })).toEqual({
      ok: false,
      code: 'not_found',
      message: 'No such account.',
    });
  });

  it('hides the message of an unexpected error and logs it', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const handler = vi.fn().mockRejectedValue(new Error('boom with sk_live_secret'));
    const listener = createInvokeListener('copyToken', CONTRACT_SCHEMAS.copyToken, handler, {
      ...trusted,
      logger,
    }) as Listener;
    const result = (await listener(eventFrom(), { accountId: 'a' })) as { message: string };
    expect(result).toMatchObject({ ok: false, code: 'internal' });
    expect(result.message).not.toContain('sk_live_secret');
    expect(logger.error).toHaveBeenCalled();
  });
});

describe('handle and registerServiceHandlers', () => {
  it('registers on the contract channel and removes it again', () => {
    const remove = handle(ipcMain, 'listAccounts', CONTRACT_SCHEMAS.listAccounts, vi.fn(), trusted);
    expect(ipcMain.handle).toHaveBeenCalledWith(callChannel('listAccounts'), expect.any(Function));
    remove();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(callChannel('listAccounts'));
  });

  it('has a schema for every contract method', () => {
    expect(Object.keys(CONTRACT_SCHEMAS).sort()).toEqual([...CONTRACT_METHODS].sort());
  });

  it('registers every contract method, each calling the matching service function', async () => {
    const service = Object.fromEntries(
      CONTRACT_METHODS.map((method) => [method, vi.fn().mockResolvedValue(`${method}-result`)]),
    ) as unknown as ServiceCalls & Record<ContractMethod, ReturnType<typeof vi.fn>>;
    const removeAll = registerServiceHandlers(ipcMain, service, trusted);
    const channels = ipcMain.handle.mock.calls.map(([channel]) => channel as string);
    expect(channels).toEqual(CONTRACT_METHODS.map((method) => callChannel(method)));

    const listeners = new Map(ipcMain.handle.mock.calls as Array<[string, Listener]>);
    const listAccounts = listeners.get(callChannel('listAccounts'));
    expect(await listAccounts?.(eventFrom(), undefined)).toEqual({
      ok: true,
      value: 'listAccounts-result',
    });
    const copy = listeners.get(callChannel('copyToken'));
    expect(await copy?.(eventFrom(), { accountId: 'acc' })).toEqual({
      ok: true,
      value: 'copyToken-result',
    });
    expect(service.copyToken).toHaveBeenCalledWith({ accountId: 'acc' });
    expect(await copy?.(eventFrom({ frame: 'sub' }), { accountId: 'acc' })).toMatchObject({
      code: 'unauthorized_sender',
    });
    expect(service.copyToken).toHaveBeenCalledTimes(1);

    removeAll();
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(CONTRACT_METHODS.length);
  });
});
