import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AgentClient,
  agentEndpoint,
  startAgent,
  type RunningAgent,
  type TokendeckService,
} from '../../../src-main/core';
import { openTestService } from '../../helpers/test-service';
import { makeTempRoot } from '../../helpers/vault-fixtures';

/** The agent's protocol: hello first with the owner's key, versioned, arguments checked. */

let root: string;
let cleanup: () => Promise<void>;
let service: TokendeckService;
let agent: RunningAgent;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
  service = await openTestService(root);
});

afterEach(async () => {
  await agent?.close();
  await service.close();
  await cleanup();
});

/** Sends raw lines and collects the answers. */
async function raw(lines: string[]): Promise<Array<Record<string, unknown>>> {
  const socket = connect(agentEndpoint(root).address);
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  for (const line of lines) socket.write(`${line}\n`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  socket.destroy();
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const hello = (key: string, version = 1) =>
  JSON.stringify({
    v: version,
    id: 1,
    method: 'hello',
    arg: { version, key, client: { pid: 1, ppid: 1, command: 'test' } },
  });

describe('the agent', () => {
  it('answers a client that says hello with the key; then lists accounts', async () => {
    agent = await startAgent({ dataDir: root, service, mode: 'headless', logger: console });
    const client = await AgentClient.connect(root);
    expect(client?.mode).toBe('headless');
    expect(await client!.listAccounts()).toEqual([]);
    await expect(client!.findAccount('nobody')).rejects.toMatchObject({ code: 'not_found' });
    await client!.close();
  });

  it('hands out a token, and token --verify’s call reaches the service’s check', async () => {
    await service.saveProvider({
      profile: {
        id: 'k',
        name: 'k',
        grant: 'api_key',
        client: { registration: 'static', auth: 'none' },
      },
    });
    const { accountId } = await service.connectAccount({ providerId: 'k', apiKey: 'key-12345678' });
    agent = await startAgent({ dataDir: root, service, mode: 'headless', logger: console });
    const client = await AgentClient.connect(root);
    expect(await client!.getFreshToken(accountId)).toMatchObject({ accessToken: 'key-12345678' });
    // No who-am-I call: the same refusal, naming the fix, as without the agent.
    await expect(client!.getVerifiedToken(accountId)).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('--whoami rest'),
    });
    await client!.close();
  });

  it('refuses a wrong key, a request before hello, another protocol version, and bad arguments', async () => {
    agent = await startAgent({ dataDir: root, service, mode: 'headless', logger: console });
    expect((await raw([hello('0'.repeat(64))]))[0]).toMatchObject({
      ok: false,
      code: 'vault_locked',
    });
    expect((await raw([JSON.stringify({ v: 1, id: 2, method: 'listAccounts' })]))[0]).toMatchObject(
      {
        ok: false,
        code: 'vault_locked',
      },
    );
    const key = (await readFile(agentEndpoint(root).keyPath, 'utf8')).trim();
    expect((await raw([hello(key, 2)]))[0]).toMatchObject({ ok: false, code: 'unsupported' });
    const answers = await raw([
      hello(key),
      JSON.stringify({ v: 1, id: 2, method: 'getFreshToken', arg: { accountId: '' } }),
      JSON.stringify({ v: 1, id: 3, method: 'revealToken', arg: { accountId: 'x' } }),
    ]);
    expect(answers.find((a) => a.id === 2)).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(answers.find((a) => a.id === 3)).toMatchObject({ ok: false, code: 'unsupported' });
  });

  it('asks before a new terminal gets tokens; a refusal closes the connection', async () => {
    agent = await startAgent({
      dataDir: root,
      service,
      mode: 'desktop',
      logger: console,
      approve: async () => false,
    });
    await expect(AgentClient.connect(root)).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('refuses to start a second agent for the same data folder', async () => {
    agent = await startAgent({ dataDir: root, service, mode: 'headless', logger: console });
    await expect(
      startAgent({ dataDir: root, service, mode: 'headless', logger: console }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});
