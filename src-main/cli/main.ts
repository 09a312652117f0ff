import { runCli } from './run';

/**
 * Entry point of the `tokendeck` command (bundled to out/cli/tokendeck.js by
 * scripts/build-cli.mjs, started by bin/tokendeck.js).
 */
runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tokendeck: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
