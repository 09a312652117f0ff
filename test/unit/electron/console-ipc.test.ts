import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTRACT_METHODS, callChannel, type ContractMethod } from '../../../src-preload/contract';
import { TokendeckError } from '../../../src-main/core/errors';
import type { ServiceCalls } from '../../../src-main/core/api';

/**
 * The contract's console calls (issue 6) through the real IPC wrapper and the real schemas.
 *
 * Every handler is registered with `registerServiceHandlers` against a service of spies, and each
 * call goes through the listener `ipcMain.handle` received, just as a message from the window
 * would. A good argument reaches the service unchanged; a bad one is refused with
 * `invalid_input` naming the field, and the service is never called.
 */

import {
  registerServiceHandlers,
  trustedAppSender,
  MAX_PAYLOAD_BYTES,
} from '../../../src-main/electron/ipc/typed-ipc';

const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };

type Listener = (event: unknown, arg: unknown) => Promise<unknown>;
type Refusal = { ok: false; code: string; message: string };

const APP_PAGE = 'app://tokendeck/index.html';
const MAX_BODY = 1_000_000;

function eventFrom(frame: 'main' | 'sub' = 'main') {
  const mainFrame = { url: APP_PAGE };
  return { sender: { mainFrame }, senderFrame: frame === 'main' ? mainFrame : { url: APP_PAGE } };
}

let service: Record<ContractMethod, ReturnType<typeof vi.fn>>;
let listeners: Map<string, Listener>;

function call(method: ContractMethod, arg: unknown, frame: 'main' | 'sub' = 'main') {
  const listener = listeners.get(callChannel(method));
  if (!listener) throw new Error(`No handler registered for ${method}.`);
  return listener(eventFrom(frame), arg);
}

beforeEach(() => {
  ipcMain.handle.mockReset();
  service = Object.fromEntries(
    CONTRACT_METHODS.map((method) => [method, vi.fn().mockResolvedValue({ from: method })]),
  ) as typeof service;
  registerServiceHandlers(ipcMain, service as unknown as ServiceCalls, {
    isTrustedSender: trustedAppSender(),
  });
  listeners = new Map(ipcMain.handle.mock.calls as Array<[string, Listener]>);
});

const rest = {
  kind: 'rest',
  requestId: 'req-1',
  accountId: 'acc-1',
  method: 'POST',
  url: 'https://api.example.test/items',
  query: [['page', '2']],
  headers: [['X-Trace', 'abc']],
  body: { type: 'json', text: '{"name":"x"}' },
  timeoutMs: 5000,
};

const graphql = {
  kind: 'graphql',
  requestId: 'req-2',
  accountId: 'acc-1',
  query: 'query Me($first: Int) { me { id } }',
  variables: { first: 10 },
  operationName: 'Me',
};

const curlSpec = { kind: 'rest', accountId: 'acc-1', method: 'GET', url: '/me' };
const { requestId: _graphqlRequestId, ...graphqlSpec } = graphql;

/** Asserts a refusal for `method` naming `field`, with the service untouched. */
async function expectRefused(method: ContractMethod, arg: unknown, field: string) {
  const result = (await call(method, arg)) as Refusal;
  expect(result.ok).toBe(false);
  expect(result.code).toBe('invalid_input');
  expect(result.message).toContain(`Invalid argument for ${method}`);
  expect(result.message).toContain(field);
  expect(service[method]).not.toHaveBeenCalled();
}

describe('console calls: good arguments reach the service', () => {
  it.each([
    ['sendRequest', rest],
    ['sendRequest', graphql],
    ['sendRequest', { kind: 'rest', requestId: 'r', accountId: 'a', method: 'GET', url: '/me' }],
    ['cancelRequest', { requestId: 'req-1' }],
    ['listHistory', { accountId: 'acc-1' }],
    ['clearHistory', { accountId: 'acc-1' }],
    ['introspectGraphql', { accountId: 'acc-1' }],
    ['introspectGraphql', { accountId: 'acc-1', refresh: true }],
    ['exportCurl', { spec: curlSpec }],
    ['exportCurl', { spec: curlSpec, options: { inlineToken: true } }],
    ['exportCurl', { spec: graphqlSpec }],
  ] as const)('%s(%j)', async (method, arg) => {
    const result = await call(method, arg);
    expect(result).toEqual({ ok: true, value: { from: method } });
    expect(service[method]).toHaveBeenCalledTimes(1);
    expect(service[method]).toHaveBeenCalledWith(
      JSON.parse(JSON.stringify(arg)) as Record<string, unknown>,
    );
  });

  it('returns a service error as its code and message', async () => {
    service.listHistory.mockRejectedValue(
      new TokendeckError('vault_locked', 'The vault is locked. Unlock it with your passphrase.'),
    );
    expect(await call('listHistory', { accountId: 'acc-1' })).toEqual({
      ok: false,
      code: 'vault_locked',
      message: 'The vault is locked. Unlock it with your passphrase.',
    });
  });

  it('refuses a console call from a sub-frame before looking at the argument', async () => {
    expect(await call('sendRequest', rest, 'sub')).toMatchObject({ code: 'unauthorized_sender' });
    expect(await call('exportCurl', { spec: curlSpec }, 'sub')).toMatchObject({
      code: 'unauthorized_sender',
    });
    expect(service.sendRequest).not.toHaveBeenCalled();
    expect(service.exportCurl).not.toHaveBeenCalled();
  });
});

describe('sendRequest: bad arguments are refused', () => {
  const { requestId: _dropped, ...withoutRequestId } = rest;

  it.each([
    ['a missing requestId', withoutRequestId, 'requestId'],
    ['an empty requestId', { ...rest, requestId: '' }, 'requestId'],
    ['a numeric requestId', { ...rest, requestId: 7 }, 'requestId'],
    ['kind soap', { ...rest, kind: 'soap' }, 'kind'],
    ['no kind', { ...rest, kind: undefined }, 'kind'],
    [
      'a CR/LF header value',
      { ...rest, headers: [['X-A', 'a\r\nSet-Cookie: x=1']] },
      'headers.0.1',
    ],
    ['a bare LF header value', { ...rest, headers: [['X-A', 'a\nb']] }, 'headers.0.1'],
    ['a CR/LF header name', { ...rest, headers: [['X-A\r\nX-B', 'a']] }, 'headers.0.0'],
    ['a CR/LF query value', { ...rest, query: [['q', 'a\r\nb']] }, 'query.0.1'],
    ['a numeric url', { ...rest, url: 42 }, 'url'],
    ['an object url', { ...rest, url: { href: 'https://x.test' } }, 'url'],
    ['a file: url', { ...rest, url: 'file:///etc/passwd' }, 'url'],
    [
      'a body over the cap',
      { ...rest, body: { type: 'raw', text: 'x'.repeat(MAX_BODY + 1) } },
      'body.text',
    ],
    ['an unknown body type', { ...rest, body: { type: 'xml', text: '<a/>' } }, 'body.type'],
    ['variables as an array', { ...graphql, variables: [1, 2] }, 'variables'],
    ['variables as a string', { ...graphql, variables: '{"first":10}' }, 'variables'],
    ['variables as null', { ...graphql, variables: null }, 'variables'],
    ['an empty GraphQL query', { ...graphql, query: '' }, 'query'],
    ['a bad operation name', { ...graphql, operationName: 'Me; drop' }, 'operationName'],
    ['an unknown field (REST)', { ...rest, token: 'sk_live_x' }, 'token'],
    ['an unknown field (GraphQL)', { ...graphql, inlineToken: true }, 'inlineToken'],
    ['a REST field on GraphQL', { ...graphql, method: 'POST' }, 'method'],
    ['a timeout of zero', { ...rest, timeoutMs: 0 }, 'timeoutMs'],
  ])('%s', async (_name, arg, field) => {
    await expectRefused('sendRequest', arg, field);
  });

  it('refuses a payload over 1 MB before parsing it', async () => {
    const huge = { ...rest, body: { type: 'raw', text: 'x'.repeat(MAX_PAYLOAD_BYTES) } };
    const result = (await call('sendRequest', huge)) as Refusal;
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(result.message).toMatch(/larger than/);
    expect(service.sendRequest).not.toHaveBeenCalled();
  });

  it.each([undefined, null, 'GET /me', []])('refuses %j instead of an object', async (arg) => {
    const result = (await call('sendRequest', arg)) as Refusal;
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(service.sendRequest).not.toHaveBeenCalled();
  });
});

describe('the other console calls: bad arguments are refused', () => {
  it.each([
    ['cancelRequest', {}, 'requestId'],
    ['cancelRequest', { requestId: 5 }, 'requestId'],
    ['cancelRequest', { requestId: 'r'.repeat(129) }, 'requestId'],
    ['cancelRequest', { requestId: 'r', accountId: 'a' }, 'accountId'],
    ['listHistory', {}, 'accountId'],
    ['listHistory', { accountId: '' }, 'accountId'],
    ['listHistory', { accountId: ['acc-1'] }, 'accountId'],
    ['listHistory', { accountId: 'a', limit: 10 }, 'limit'],
    ['clearHistory', { accountId: 1 }, 'accountId'],
    ['clearHistory', { accountId: 'a', all: true }, 'all'],
    ['introspectGraphql', {}, 'accountId'],
    ['introspectGraphql', { accountId: 'a', refresh: 'yes' }, 'refresh'],
    ['introspectGraphql', { accountId: 'a', url: 'https://x.test' }, 'url'],
    ['exportCurl', {}, 'spec'],
    ['exportCurl', { options: { inlineToken: true } }, 'spec'],
    ['exportCurl', { spec: null }, 'spec'],
    ['exportCurl', { spec: { ...curlSpec, requestId: 'r' } }, 'requestId'],
    ['exportCurl', { spec: { ...curlSpec, headers: [['X-A', 'a\r\nb']] } }, 'spec.headers.0.1'],
    ['exportCurl', { spec: { ...curlSpec, kind: 'soap' } }, 'spec.kind'],
    ['exportCurl', { spec: curlSpec, options: { inlineToken: 'yes' } }, 'options.inlineToken'],
    ['exportCurl', { spec: curlSpec, options: { shell: 'bash' } }, 'shell'],
    ['exportCurl', { spec: curlSpec, extra: 1 }, 'extra'],
  ] as const)('%s(%j) names %s', async (method, arg, field) => {
    await expectRefused(method, arg, field);
  });

  it.each([
    'cancelRequest',
    'listHistory',
    'clearHistory',
    'introspectGraphql',
    'exportCurl',
  ] as const)('%s refuses a missing argument', async (method) => {
    const result = (await call(method, undefined)) as Refusal;
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(service[method]).not.toHaveBeenCalled();
  });
});
