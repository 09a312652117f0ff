import { appendFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The secrets a test run handed out, and the folder where its data folders live.
 *
 * Stand-in servers record every token and code they issue, and the CLI helper records every
 * secret it pipes in. After the whole integration suite, the global teardown in
 * `secret-scan.global.ts` greps every file below the root (vaults, logs, caches) for any of
 * them (SECURITY 12, 22).
 */
export const SECRETS_FILE = 'issued-secrets.txt';
export const ROOT_ENV = 'TOKENDECK_TEST_ROOT';

/** Remembers a secret for the end-of-suite scan; short or empty values are not worth a scan. */
export function recordSecret(value: string | undefined): void {
  const root = process.env[ROOT_ENV];
  if (!root || !value || value.length < 8) return;
  appendFileSync(join(root, SECRETS_FILE), `${JSON.stringify(value)}\n`);
}

/** A new folder below the scanned root (or a plain temp folder when run outside the suite). */
export function scannedTempDir(prefix: string): string {
  const root = process.env[ROOT_ENV];
  if (!root) return mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, 'data'), { recursive: true });
  return mkdtempSync(join(root, 'data', prefix));
}
