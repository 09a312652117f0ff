import { runCli } from './run';
import { watchOutput } from './streams';

/**
 * Entry point of the `tokendeck` command (built to out/main/cli.js, started by bin/tokendeck.js).
 *
 * The exit code is settled when the process exits, after every write to stdout has failed or
 * succeeded (a write error arrives after the command has returned).
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
