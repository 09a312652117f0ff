import { runCli } from './run';
import { watchOutput } from './streams';

/**
 * Entry point of the `tokendeck` command (bundled to out/cli/tokendeck.js by
 * scripts/build-cli.mjs, started by bin/tokendeck.js).
 */
const output = watchOutput(process.stdout, process.stderr);
let code = 1;
process.once('exit', () => {
  process.exitCode = output.exitCode(code);
});
runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then(
  (result) => {
    code = result;
  },
  (error: unknown) => {
    process.stderr.write(`tokendeck: ${error instanceof Error ? error.message : String(error)}\n`);
  },
);
