import { describe, expect, it } from 'vitest';
import { CONTRACT_SCHEMAS } from '../../../src-main/core/api-schemas';

/**
 * The schemas of the calls the desktop UI added: good arguments pass, bad ones are refused
 * before the service runs (SECURITY 9).
 */
describe('UI call schemas', () => {
  it.each([
    ['copyToken', { accountId: 'a', format: 'curl' }],
    ['copyToken', { accountId: 'a' }],
    ['copyFlowLink', { providerId: 'local-oidc' }],
    ['getSettings', undefined],
    ['saveSettings', { theme: 'dark', clipboardClearSeconds: 10 }],
    ['validateProvider', { profile: { id: 'x', anything: [1, 2] }, isNew: true }],
    ['discoverProvider', { issuer: 'http://127.0.0.1:9000' }],
  ] as const)('accepts %s %j', (method, arg) => {
    expect(CONTRACT_SCHEMAS[method].safeParse(arg).success).toBe(true);
  });

  it.each([
    ['copyToken', { accountId: 'a', format: 'raw' }],
    ['copyToken', { accountId: 'a', extra: 1 }],
    ['copyFlowLink', { providerId: 'Not An Id' }],
    ['getSettings', { any: 1 }],
    ['saveSettings', { theme: 'neon' }],
    ['saveSettings', { clipboardClearSeconds: 99_999 }],
    ['validateProvider', { profile: 'not an object' }],
    ['discoverProvider', { issuer: '' }],
    ['discoverProvider', { issuer: 'x'.repeat(9000) }],
  ] as const)('refuses %s %j', (method, arg) => {
    expect(CONTRACT_SCHEMAS[method].safeParse(arg).success).toBe(false);
  });
});
