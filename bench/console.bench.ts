import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import {
  RequestRunner,
  type ConsoleContext,
  type RestRequestSpec,
  type TokenSource,
} from '../src-main/core/console';
import { contextLookup, testAccount, testProfile } from '../test/helpers/console-fixtures';
import { startConsoleServer, type ConsoleTestServer } from '../test/helpers/console-server';
import { ensure } from './bench-fixtures';
import { interleave, median, ratioResult, recordResult } from './results';

/**
 * The request console: a REST round trip, and a large body through the display and hard caps.
 *
 * The loopback server is the console tests' own. The token source always hands out one valid
 * token, so what is measured is the runner (validation, token attachment, `node:http` exchange
 * on a new socket each time, body capping and decoding), not the lifecycle. No history store
 * and the null logger, so nothing is written to disk.
 */
const TOKEN = 'bench-console-token-0123456789';
const MIB = 1024 * 1024;
const BIG_MIB = 5;

let api: ConsoleTestServer;
let runner: RequestRunner;
let capped: RequestRunner;

const oneToken: TokenSource = {
  async getFreshToken() {
    return { accessToken: TOKEN };
  },
};

beforeAll(async () => {
  api = await startConsoleServer();
  api.validTokens.add(TOKEN);
  const context: ConsoleContext = { account: testAccount(), profile: testProfile(api.origin) };
  runner = new RequestRunner({ tokens: oneToken, context: contextLookup(context) });
  capped = new RequestRunner({
    tokens: oneToken,
    context: contextLookup(context),
    displayCapBytes: MIB,
  });
});

afterAll(async () => {
  await api?.close();
});

function send(through: RequestRunner, spec: Omit<RestRequestSpec, 'kind' | 'accountId'>) {
  // The test server keeps every request it saw; a bench makes thousands.
  api.requests.length = 0;
  return through.send({ kind: 'rest', accountId: 'acct-1', ...spec });
}

describe('RequestRunner.send() to a loopback server', () => {
  bench(
    'REST GET /me, small JSON body',
    async () => {
      const view = await send(runner, { method: 'GET', url: '/me' });
      ensure(view.status === 200 && view.body.includes('Test User'), 'an authorized answer');
    },
    { time: 1_500 },
  );

  bench(
    `${BIG_MIB} MiB body, default 10 MiB display cap (kept whole)`,
    async () => {
      const view = await send(runner, { method: 'GET', url: `${api.origin}/big?mb=${BIG_MIB}` });
      ensure(view.size === BIG_MIB * MIB && !view.truncated, 'the whole body');
      ensure(view.body.length === BIG_MIB * MIB, 'the whole body decoded');
    },
    { time: 2_000, iterations: 20 },
  );

  bench(
    `${BIG_MIB} MiB body, 1 MiB display cap (truncated, closed at the 2 MiB hard cap)`,
    async () => {
      const view = await send(capped, { method: 'GET', url: `${api.origin}/big?mb=${BIG_MIB}` });
      ensure(view.truncated && view.incomplete === true, 'cut at the caps');
      ensure(view.body.length === MIB, 'the display cap kept');
    },
    { time: 2_000, iterations: 20 },
  );
});

/**
 * Against its floor: a 1 MiB JSON body through the runner, and a bare `fetch` of the same URL
 * with the body read, interleaved, from a loopback server of this bench's own.
 */
describe('console against its floor (ratio in bench/results.json)', () => {
  bench(
    'GET of a 1 MiB JSON body, runner and bare fetch',
    async () => {
      const body = Buffer.from(
        JSON.stringify({
          items: Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `item-${i}` })),
        }).padEnd(MIB, ' '),
      );
      const server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const url = `${origin}/big.json`;
      const context: ConsoleContext = { account: testAccount(), profile: testProfile(origin) };
      const direct = new RequestRunner({ tokens: oneToken, context: contextLookup(context) });
      try {
        const times = await interleave(40, {
          tokendeck: async () => {
            const view = await direct.send({
              kind: 'rest',
              accountId: 'acct-1',
              method: 'GET',
              url,
            });
            ensure(view.status === 200 && view.size === MIB, 'the whole 1 MiB body');
          },
          floor: async () => {
            const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
            ensure((await response.text()).length === MIB, 'the whole body');
          },
        });
        recordResult(
          ratioResult(
            'console GET of a 1 MiB JSON body',
            median(times.tokendeck!),
            'ms',
            { name: 'bare fetch, body read', value: median(times.floor!) },
            1.2,
          ),
        );
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
});
