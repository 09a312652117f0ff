import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../helpers/vault-fixtures';

/**
 * SECURITY.md 40: parallel read-modify-writes from two processes lose nothing, and a stale lock
 * left by a crash is recovered.
 */
const COUNTER = join(import.meta.dirname, '..', 'helpers', 'vault-counter.ts');

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ root, cleanup } = await makeTempRoot('tokendeck-concurrency-'));
});
afterAll(async () => {
  await cleanup();
});

interface Worker {
  ready: Promise<void>;
  go(): void;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startCounter(dir: string, name: string, count: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', COUNTER, dir, name, String(count)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      if (line === 'ready') resolve();
    });
    child.on('close', () => reject(new Error(`${name} exited before it was ready: ${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    },
  );
  return { ready, go: () => child.stdin.end('go\n'), exit };
}

async function runCounters(dir: string, names: string[], count: number): Promise<void> {
  const workers = names.map((name) => startCounter(dir, name, count));
  await Promise.all(workers.map((worker) => worker.ready));
  for (const worker of workers) worker.go();
  for (const result of await Promise.all(workers.map((worker) => worker.exit))) {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('done');
  }
}

describe('vault concurrency', () => {
  it('keeps all 400 changes of two processes doing 200 read-modify-writes each', async () => {
    const dir = join(root, 'two');
    await Vault.create(dir, testPassphraseSlot());
    await runCounters(dir, ['app', 'cli'], 200);
    const view = await (await Vault.open(dir, testPassphraseSlot())).read();
    expect(view.get('counters', 'total')).toBe(400);
    expect(view.get('counters', 'app')).toBe(200);
    expect(view.get('counters', 'cli')).toBe(200);
    expect(view.list('changes')).toHaveLength(400);
  });

  it('recovers a stale lock left by a dead process while several processes contend', async () => {
    const dir = join(root, 'stale');
    const vault = await Vault.create(dir, testPassphraseSlot());
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = dead.pid ?? 0;
    await new Promise((resolve) => dead.on('close', resolve));
    await writeFile(
      `${vault.path}.lock`,
      JSON.stringify({
        pid: deadPid,
        hostname: hostname(),
        threadId: 0,
        token: 'dead',
        createdAt: 0,
      }),
    );
    await runCounters(dir, ['w1', 'w2', 'w3'], 30);
    const view = await (await Vault.open(dir, testPassphraseSlot())).read();
    expect(view.get('counters', 'total')).toBe(90);
  });
});
