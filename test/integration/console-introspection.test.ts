import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INTROSPECTION_QUERY,
  RequestRunner,
  createMemoryHistoryStore,
  type ConsoleContext,
} from '../../src-main/core/console';
import {
  contextLookup,
  countingTokenSource,
  testAccount,
  testProfile,
} from '../helpers/console-fixtures';
import { TEST_SCHEMA, startConsoleServer, type ConsoleTestServer } from '../helpers/console-server';

let api: ConsoleTestServer;
let ctx: ConsoleContext;
let dir: string;

beforeAll(async () => {
  api = await startConsoleServer();
  api.validTokens.add('token-intro-456');
  ctx = { account: testAccount(), profile: testProfile(api.origin) };
  dir = await mkdtemp(join(tmpdir(), 'tokendeck-console-intro-'));
});

afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

describe('introspection', () => {
  it('writes out the full standard query', () => {
    for (const part of [
      '__schema',
      'queryType',
      'mutationType',
      'subscriptionType',
      'directives',
      'fields(includeDeprecated: true)',
      'args',
      'inputFields',
      'interfaces',
      'enumValues(includeDeprecated: true)',
      'possibleTypes',
      'defaultValue',
      'fragment TypeRef on __Type',
    ]) {
      expect(INTROSPECTION_QUERY).toContain(part);
    }
    expect(INTROSPECTION_QUERY.match(/ofType \{/g)).toHaveLength(7);
  });

  it('fetches once, caches per provider in a 0600 file, and refetches on refresh', async () => {
    const history = createMemoryHistoryStore();
    const runner = new RequestRunner({
      tokens: countingTokenSource(['token-intro-456']),
      context: contextLookup(ctx),
      history,
      cacheDir: join(dir, 'cache'),
    });
    const before = api.introspections;
    const first = await runner.introspect('acct-1');
    expect(first.schema).toEqual(TEST_SCHEMA);
    expect(typeof first.fetchedAt).toBe('number');
    const again = await runner.introspect('acct-1');
    expect(again).toEqual(first);
    expect(api.introspections - before).toBe(1);

    const file = join(dir, 'cache', 'introspection-test-provider.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      providerId: 'test-provider',
      schema: TEST_SCHEMA,
    });

    const fresh = new RequestRunner({
      tokens: countingTokenSource(['token-intro-456']),
      context: contextLookup(ctx),
      cacheDir: join(dir, 'cache'),
    });
    expect(await fresh.introspect('acct-1')).toEqual(first);
    expect(api.introspections - before).toBe(1);

    await runner.introspect('acct-1', { refresh: true });
    expect(api.introspections - before).toBe(2);
    expect(await history.list('acct-1')).toEqual([]);
  });

  it('caches in memory without a cache folder, and shares one fetch between callers', async () => {
    const runner = new RequestRunner({
      tokens: countingTokenSource(['token-intro-456']),
      context: contextLookup(ctx),
    });
    const before = api.introspections;
    const [a, b] = await Promise.all([runner.introspect('acct-1'), runner.introspect('acct-1')]);
    expect(a).toEqual(b);
    await runner.introspect('acct-1');
    expect(api.introspections - before).toBe(1);
  });

  it('fetches afresh over a cache file that does not parse', async () => {
    const cacheDir = join(dir, 'broken');
    const runner = new RequestRunner({
      tokens: countingTokenSource(['token-intro-456']),
      context: contextLookup(ctx),
      cacheDir,
    });
    await runner.introspect('acct-1');
    await writeFile(join(cacheDir, 'introspection-test-provider.json'), '{broken');
    const before = api.introspections;
    expect((await runner.introspect('acct-1')).schema).toEqual(TEST_SCHEMA);
    expect(api.introspections - before).toBe(1);
  });

  it('turns a GraphQL errors answer into http_error with the first message, and a bad status too', async () => {
    const at = (graphqlUrl: string): ConsoleContext => ({
      account: testAccount('acct-2'),
      profile: testProfile(api.origin, {
        id: 'other-provider',
        use: { headerName: 'Authorization', headerPrefix: 'Bearer', graphqlUrl },
      }),
    });
    const tokens = countingTokenSource(['token-intro-456']);
    const broken = new RequestRunner({
      tokens,
      context: contextLookup(at(`${api.origin}/graphql/broken`)),
    });
    await expect(broken.introspect('acct-2')).rejects.toMatchObject({
      code: 'http_error',
      message: 'Introspection failed: introspection is disabled',
    });
    const failing = new RequestRunner({
      tokens,
      context: contextLookup(at(`${api.origin}/status/500`)),
    });
    await expect(failing.introspect('acct-2')).rejects.toMatchObject({
      code: 'http_error',
      message: 'Introspection failed with HTTP 500.',
    });
    const html = new RequestRunner({ tokens, context: contextLookup(at(`${api.origin}/html`)) });
    await expect(html.introspect('acct-2')).rejects.toMatchObject({
      code: 'http_error',
      message: 'The introspection answer is not JSON.',
    });
  });
});
