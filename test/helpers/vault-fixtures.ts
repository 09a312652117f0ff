import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPassphraseSlot, type KeySlot } from '../../src-main/core/vault';

/**
 * Shared fixtures for the vault tests: temp data folders, a fast passphrase slot, and a scan
 * of every byte under a folder.
 */

/** A scrypt cost low enough for tests; never use it outside tests. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 } as const;

/**
 * What tests pass as `runCli`'s host: vaults made and unlocked at {@link TEST_SCRYPT}'s cost.
 * Without it the CLI would make new vaults at N=2^17 and re-wrap test vaults to that cost.
 */
export const TEST_CLI_HOST = { service: { scryptN: TEST_SCRYPT.N } } as const;

export function testPassphraseSlot(passphrase = 'correct horse battery staple'): KeySlot {
  return createPassphraseSlot(passphrase, TEST_SCRYPT);
}

/** A fresh temp folder; `cleanup` removes it. */
export async function makeTempRoot(prefix = 'tokendeck-vault-'): Promise<{
  root: string;
  cleanup: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Every regular file under `dir`, recursively (bounded depth). */
export async function listFiles(dir: string, depth = 0): Promise<string[]> {
  if (depth > 8) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path, depth + 1)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The files under `dir` whose bytes contain `needle` as UTF-8, UTF-16LE, base64 or hex. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const forms = [
    Buffer.from(needle, 'utf8'),
    Buffer.from(needle, 'utf16le'),
    Buffer.from(Buffer.from(needle, 'utf8').toString('base64'), 'utf8'),
    Buffer.from(Buffer.from(needle, 'utf8').toString('hex'), 'utf8'),
  ];
  const hits: string[] = [];
  for (const file of await listFiles(dir)) {
    const bytes = await readFile(file);
    if (forms.some((form) => bytes.includes(form))) hits.push(file);
  }
  return hits;
}

/** The permission bits of a path. */
export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}
