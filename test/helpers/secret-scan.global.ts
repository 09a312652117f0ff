import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { filesBelow } from './fake-ports';
import { ROOT_ENV, SECRETS_FILE } from './secret-registry';

/**
 * Vitest global setup for the integration suite: after every test has run, no file that
 * Tokendeck wrote (vault, logs, caches) may contain any secret a stand-in issued or a test
 * piped in.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'tokendeck-suite-'));
  process.env[ROOT_ENV] = root;
  return () => {
    try {
      const registry = join(root, SECRETS_FILE);
      if (!existsSync(registry)) return;
      const secrets = [
        ...new Set(
          readFileSync(registry, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as string),
        ),
      ].map((secret) => Buffer.from(secret));
      const dataDir = join(root, 'data');
      const leaks = existsSync(dataDir)
        ? filesBelow(dataDir).filter((file) => {
            const bytes = readFileSync(file);
            return secrets.some((secret) => bytes.includes(secret));
          })
        : [];
      if (leaks.length > 0) {
        // Vitest reports a teardown error but keeps its exit code; make the run fail.
        process.exitCode = 1;
        throw new Error(
          `Secrets found in plain text after the suite: ${leaks.map((f) => relative(root, f)).join(', ')}`,
        );
      }
      process.stdout.write(
        `secret scan: ${secrets.length} secrets, ${existsSync(dataDir) ? filesBelow(dataDir).length : 0} files, no leaks\n`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}
