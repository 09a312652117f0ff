export { runCli, type CliHost } from './run';
