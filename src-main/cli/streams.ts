/**
 * The command's output streams failing under it: a reader that went away (`tokendeck accounts |
 * head -1`, EPIPE) or a full disk (`> /dev/full`, ENOSPC). Without a listener either would crash
 * the process with a stack trace.
 */
export interface OutputWatch {
  /** The exit code, given the command's own: unchanged after EPIPE, 1 after any other failure. */
  exitCode(code: number): number;
}

type Stream = Pick<NodeJS.WriteStream, 'on' | 'write'>;

/** Listens for write errors on stdout and stderr; says the first one plainly at the end. */
export function watchOutput(stdout: Stream, stderr: Stream): OutputWatch {
  let failure: NodeJS.ErrnoException | undefined;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    failure ??= error;
  });
  // With stderr gone there is nowhere left to say anything.
  stderr.on('error', () => undefined);
  return {
    exitCode(code) {
      if (!failure) return code;
      // The reader stopped reading: exit quietly, as other command-line tools do.
      if (failure.code === 'EPIPE') return code;
      stderr.write(`tokendeck: the output could not be written (${describe(failure)}).\n`);
      return 1;
    },
  };
}

function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOSPC':
      return 'no space left on the device, ENOSPC';
    case 'EIO':
      return 'an input/output error, EIO';
    default:
      return error.code ?? error.message;
  }
}
