import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src-main/cli/node-ports';

/** An in-memory terminal for runCli: what the command wrote, and no tty to prompt on. */
export function memoryIo(env: NodeJS.ProcessEnv = {}): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (chunk: string) => ((out += chunk), true) },
    stderr: { write: (chunk: string) => ((err += chunk), true) },
    stdin: new PassThrough(),
    env,
    out: () => out,
    err: () => err,
  } as CliIo & { out(): string; err(): string };
}
