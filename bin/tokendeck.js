#!/usr/bin/env node
// The `tokendeck` command: the built CLI entry (run `npm run build` first).
import('../out/main/cli.js').catch((error) => {
  process.stderr.write(
    `tokendeck: cannot start (${error && error.code === 'ERR_MODULE_NOT_FOUND' ? 'run "npm run build" first' : String(error && error.message)})\n`,
  );
  process.exitCode = 1;
});
