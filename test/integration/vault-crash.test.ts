import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../src-main/core/vault';
import { filesContaining, makeTempRoot, testPassphraseSlot } from '../helpers/vault-fixtures';

/**
 * SECURITY.md 38: a kill -9 during a write loop leaves a vault that always opens, with no
 * acknowledged write lost.
 */
const WRITER = join(import.meta.dirname, '..', 'helpers', 'vault-writer.ts');
const TOTAL = 1000;
const KILLS = 20;

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ root, cleanup } = await makeTempRoot('tokendeck-crash-'));
});
afterAll(async () => {
  await cleanup();
});

interface RunResult {
  acked: number[];
  finished: boolean;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the writer from `first`; kills it with SIGKILL after `killAfter` acks (if given). */
function runWriter(dir: string, first: number, killAfter: number | null): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', WRITER, dir, String(first), String(TOTAL)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const acked: number[] = [];
    let finished = false;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line === 'done') {
        finished = true;
        return;
      }
      acked.push(Number(line));
      if (killAfter !== null && acked.length === killAfter) {
        // A random extra delay (0-3 ms) lands the kill at varied points of the next write.
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 4));
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ acked, finished, signal, stderr }));
  });
}

describe('vault crash safety', () => {
  it('survives 20 SIGKILLs during 1,000 writes without losing an acknowledged write', async () => {
    const dir = join(root, 'data');
    await Vault.create(dir, testPassphraseSlot());
    const acknowledged = new Set<number>();
    let next = 1;
    let kills = 0;
    let done = false;

    for (let round = 0; round < KILLS + 5 && !done; round += 1) {
      const killAfter = kills < KILLS ? 1 + Math.floor(Math.random() * 40) : null;
      const result = await runWriter(dir, next, killAfter);
      for (const seq of result.acked) acknowledged.add(seq);
      if (result.signal === 'SIGKILL') kills += 1;
      else expect(result.stderr).toBe('');
      done = result.finished;

      // Every reopen succeeds and holds every acknowledged write so far.
      const vault = await Vault.open(dir, testPassphraseSlot());
      const view = await vault.read();
      for (const seq of acknowledged) expect(view.get('seq', String(seq))).toMatchObject({ seq });
      const last = view.get<number>('state', 'last') ?? 0;
      expect(last).toBeGreaterThanOrEqual(Math.max(0, ...acknowledged));
      expect(view.getSecret('tokens:latest')).toBe(`crash-SECRET-${last}`);
      next = last + 1;
    }

    expect(kills).toBe(KILLS);
    expect(done).toBe(true);
    const view = await (await Vault.open(dir, testPassphraseSlot())).read();
    expect(view.list('seq')).toHaveLength(TOTAL);
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(await filesContaining(dir, `crash-SECRET-${TOTAL}`)).toEqual([]);
    // The next writer swept any temp file left by a kill; only the vault and lock folder remain.
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
