import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTRACT_METHODS, callChannel, type ContractMethod } from '../../../src-preload/contract';
import type { ServiceCalls } from '../../../src-main/core/api';

/**
 * The contract's account and provider-file calls (issue 9) through the real IPC wrapper and the
 * real schemas.
 *
 * Every handler is registered with `registerServiceHandlers` against a service of spies, and each
 * call goes through the listener `ipcMain.handle` received, just as a message from the window
 * would. A good argument reaches the service unchanged; a bad one is refused with
 * `invalid_input` naming the field, and the service is never called.
 */

import {
  registerServiceHandlers,
  trustedAppSender,
} from '../../../src-main/electron/ipc/typed-ipc';

const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };

type Listener = (event: unknown, arg: unknown) => Promise<unknown>;
type Refusal = { ok: false; code: string; message: string };

const APP_PAGE = 'app://tokendeck/index.html';

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

const profile = {
  id: 'acme',
  name: 'Acme',
  grant: 'client_credentials',
  endpoints: { token: 'https://acme.test/token' },
  client: { registration: 'static', clientId: 'c', auth: 'client_secret_post' },
};

/** Asserts a refusal for `method` naming `field`, with the service untouched. */
async function expectRefused(method: ContractMethod, arg: unknown, field: string) {
  const result = (await call(method, arg)) as Refusal;
  expect(result.ok).toBe(false);
  expect(result.code).toBe('invalid_input');
  expect(result.message).toContain(`Invalid argument for ${method}`);
  expect(result.message).toContain(field);
  expect(service[method]).not.toHaveBeenCalled();
}

describe('identity calls: good arguments reach the service', () => {
  it.each([
    ['renameAccount', { accountId: 'acme-abc', label: 'Staging' }],
    ['mergeAccounts', { keepId: 'acme-abc', otherId: 'acme-def' }],
    ['setDefaultAccount', { accountId: 'acme-abc' }],
    ['connectAccount', { providerId: 'acme', accountId: 'acme-abc' }],
    ['previewProviderEdit', { profile }],
    ['previewProviderEdit', { profile, withNewSecret: true }],
    ['saveProvider', { profile, create: true }],
    ['saveProvider', { profile, clientSecret: 's3cret', confirmDrops: true }],
    ['exportProvider', { id: 'acme' }],
    ['parseProviderFile', { text: '{"format":"tokendeck-provider"}' }],
  ] as const)('%s(%j)', async (method, arg) => {
    expect(await call(method, arg)).toEqual({ ok: true, value: { from: method } });
    expect(service[method]).toHaveBeenCalledTimes(1);
  });
});

describe('identity calls: bad arguments are refused', () => {
  it.each([
    ['renameAccount', { accountId: 'a' }, 'label'],
    ['renameAccount', { accountId: 'a', label: '' }, 'label'],
    ['renameAccount', { accountId: 'a', label: 'x'.repeat(121) }, 'label'],
    ['renameAccount', { accountId: 'a', label: 'x', subject: 'y' }, 'subject'],
    ['mergeAccounts', { keepId: 'a' }, 'otherId'],
    ['mergeAccounts', { keepId: 1, otherId: 'b' }, 'keepId'],
    ['setDefaultAccount', {}, 'accountId'],
    ['connectAccount', { providerId: 'acme', accountId: '' }, 'accountId'],
    ['previewProviderEdit', { profile: { ...profile, grant: 'password' } }, 'profile.grant'],
    ['previewProviderEdit', { profile, withNewSecret: 'yes' }, 'withNewSecret'],
    ['saveProvider', { profile, confirmDrops: 'true' }, 'confirmDrops'],
    ['saveProvider', { profile, create: 1 }, 'create'],
    ['exportProvider', { id: 'Not A Provider Id' }, 'id'],
    ['parseProviderFile', { text: '' }, 'text'],
    ['parseProviderFile', { text: 'x'.repeat(256 * 1024 + 1) }, 'text'],
  ] as const)('%s(%j) names %s', async (method, arg, field) => {
    await expectRefused(method, arg, field);
  });

  it('refuses an identity call from a sub-frame before looking at the argument', async () => {
    expect(await call('mergeAccounts', { keepId: 'a', otherId: 'b' }, 'sub')).toMatchObject({
      code: 'unauthorized_sender',
    });
    expect(service.mergeAccounts).not.toHaveBeenCalled();
  });
});
