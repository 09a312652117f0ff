#!/usr/bin/env node
// The `tokendeck` command: the bundled CLI entry (`npm run build:cli` makes it).
import('../out/cli/tokendeck.js').catch((error) => {
  process.stderr.write(
    `tokendeck: cannot start (${error && error.code === 'ERR_MODULE_NOT_FOUND' ? 'run "npm run build:cli" first' : String(error && error.message)})\n`,
  );
  process.exitCode = 1;
});
