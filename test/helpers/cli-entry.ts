import { runCli } from '../../src-main/cli/run';
import { TEST_CLI_HOST } from './vault-fixtures';

/**
 * The `tokendeck` command as test/helpers/cli.ts starts it: src-main/cli/main.ts, with the
 * test-only scrypt cost (`CliHost.service`) so that a new vault, and each passphrase unlock of
 * it, costs milliseconds instead of scrypt's N=2^17. The installed command never takes this
 * path; test/integration/cli-package.test.ts runs that one.
 */
runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env },
  TEST_CLI_HOST,
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tokendeck: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
