import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The packed CLI: its file list, and the size it takes once installed. */

/** Where the installed size is recorded; the package test fails on 20% growth past it. */
export const SIZE_BASELINE_FILE = 'test/cli-package-size.json';

/** The paths in a tarball, as `tar` lists them (`package/…`). */
export async function packedFiles(tarball: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('tar', ['-tzf', tarball]);
  return stdout.split('\n').filter((line) => line && !line.endsWith('/'));
}

/** The bytes of every file below `dir`. */
export async function installedSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await installedSize(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}
