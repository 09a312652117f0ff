import { cliArguments, runCliMode } from './cli';
import { startDesktopApp } from './desktop-app';

/**
 * The Electron main process. The installed `tokendeck` launcher starts this same binary in a
 * headless CLI mode, detected here before anything else: no window, no lock, no menu.
 */
const cliArgs = cliArguments(process.argv);
if (cliArgs) void runCliMode(cliArgs);
else startDesktopApp();
