import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentClient, type TokendeckService } from '../../../src-main/core';
import { openTestService } from '../../helpers/test-service';
import { makeTempRoot } from '../../helpers/vault-fixtures';

vi.mock('electron', () => ({ dialog: { showMessageBox: vi.fn() } }));

const { createAgentHost } = await import('../../../src-main/electron/agent-host');

/** The app's agent: on and off from Settings, and asking once per terminal. */

let root: string;
let cleanup: () => Promise<void>;
let service: TokendeckService;
const logger = { debug() {}, info() {}, warn() {}, error() {} };

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
  service = await openTestService(root);
});

afterEach(async () => {
  await service.close();
  await cleanup();
});

describe("the desktop app's agent", () => {
  it('serves only while on, and asks once per terminal when "ask" is on', async () => {
    const ask = vi.fn(async () => true);
    const host = createAgentHost({ dataDir: root, service, logger, window: () => null, ask });
    await host.apply({ enabled: false, askOnNewTerminal: true });
    expect(await AgentClient.connect(root)).toBeNull();

    await host.apply({ enabled: true, askOnNewTerminal: true });
    const first = await AgentClient.connect(root);
    expect(first?.mode).toBe('desktop');
    await first?.close();
    const second = await AgentClient.connect(root);
    await second?.close();
    expect(ask).toHaveBeenCalledOnce();

    await host.apply({ enabled: false, askOnNewTerminal: true });
    expect(await AgentClient.connect(root)).toBeNull();
    await host.stop();
  });

  it('refuses a terminal the user denies, and does not ask when "ask" is off', async () => {
    const ask = vi.fn(async () => false);
    const host = createAgentHost({ dataDir: root, service, logger, window: () => null, ask });
    await host.apply({ enabled: true, askOnNewTerminal: true });
    await expect(AgentClient.connect(root)).rejects.toMatchObject({ code: 'vault_locked' });
    await host.apply({ enabled: true, askOnNewTerminal: false });
    const client = await AgentClient.connect(root);
    expect(await client?.listAccounts()).toEqual([]);
    await client?.close();
    expect(ask).toHaveBeenCalledOnce();
    await host.stop();
  });
});
