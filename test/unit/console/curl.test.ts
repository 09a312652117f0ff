import { describe, expect, it } from 'vitest';
import { exportCurl, shellQuote, toCurl } from '../../../src-main/core/console';
import { testAccount, testProfile } from '../../helpers/console-fixtures';

const ctx = { account: testAccount('acct-1'), profile: testProfile('https://api.example.com') };

describe('shellQuote', () => {
  it("single-quotes everything and writes ' as '\\''", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(id) `id` "x"')).toBe(`'$(id) \`id\` "x"'`);
    expect(shellQuote('')).toBe("''");
  });
});

describe('toCurl', () => {
  it('writes a POST with headers, a JSON body and the token by substitution', () => {
    const command = toCurl(
      {
        kind: 'rest',
        accountId: 'acct-1',
        method: 'post',
        url: '/items',
        headers: [['X-A', 'b']],
        body: { type: 'json', text: '{"a":"it\'s"}' },
      },
      ctx,
    );
    expect(command).toBe(
      `curl -sS -X 'POST' 'https://api.example.com/api/items' -H 'X-A: b' -H 'Content-Type: application/json' ` +
        `-H "Authorization: Bearer $(tokendeck token 'acct-1')" --data-raw '{"a":"it'\\''s"}'`,
    );
  });

  it('refuses a body with NUL', () => {
    expect(() =>
      toCurl(
        {
          kind: 'rest',
          accountId: 'acct-1',
          method: 'POST',
          url: '/x',
          body: { type: 'raw', text: 'a\0b' },
        },
        ctx,
      ),
    ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('Copy as curl for a DPoP-bound account', () => {
  it('refuses, naming the command that sends proofs, and never fetches the token', async () => {
    const account = { ...testAccount('bound-1'), tokenType: 'DPoP' };
    let fetched = 0;
    const sources = {
      context: async () => ({ account, profile: testProfile('https://api.test') }),
      tokens: {
        getFreshToken: async () => {
          fetched += 1;
          throw new Error('not expected');
        },
      },
    };
    const spec = { kind: 'rest' as const, accountId: 'bound-1', method: 'GET', url: '/me' };
    for (const options of [undefined, { inlineToken: true }]) {
      const refused = await exportCurl(spec, options, sources as never).catch((error) => error);
      expect(refused).toMatchObject({
        code: 'unsupported',
        details: { reason: 'dpop_bound' },
        message: expect.stringContaining('tokendeck request bound-1'),
      });
    }
    expect(fetched).toBe(0);
  });
});
