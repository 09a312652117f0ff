export { CLI_FLAG, cliArguments, cliDataDir, runCliMode } from './cli-mode';
export { installCommandLineTool } from './launcher-install';
