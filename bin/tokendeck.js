#!/usr/bin/env node
// The `tokendeck` command: the bundled CLI entry (`npm run build:cli` makes it; `npm pack` too).
// Written so that an old Node still parses it and can say, in one line, what it needs.
var required = [20, 19];
var have = process.versions.node.split('.').map(Number);
if (have[0] < required[0] || (have[0] === required[0] && have[1] < required[1])) {
  process.stderr.write(
    'tokendeck: needs Node.js ' +
      required.join('.') +
      ' or newer; this is ' +
      process.version +
      '.\n',
  );
  process.exit(1);
}
import('../out/cli/tokendeck.js').catch(function (error) {
  process.stderr.write(
    'tokendeck: cannot start (' +
      (error && error.code === 'ERR_MODULE_NOT_FOUND'
        ? 'run "npm run build:cli" first'
        : String(error && error.message)) +
      ')\n',
  );
  process.exitCode = 1;
});
