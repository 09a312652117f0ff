export { runCli, type CliHost } from './run';
export { watchOutput } from './streams';
