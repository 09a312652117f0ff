import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./lifecycle-child.ts', import.meta.url));

/** A running lifecycle child process, read line by line. */
export interface LifecycleChild {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  /** Resolves with the first line matching `test`, or rejects when the process exits first. */
  waitForLine(test: (line: string) => boolean): Promise<string>;
  send(line: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** What the child does; see lifecycle-child.ts. */
export type LifecycleChildMode =
  'normal' | 'announce' | 'hang' | 'stop' | 'stop-locked' | 'stop-in-update';

export function spawnLifecycleChild(
  dir: string,
  tokenUrl: string,
  accountId: string,
  mode: LifecycleChildMode,
  env: Record<string, string> = {},
): LifecycleChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, dir, tokenUrl, accountId, mode],
    {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  let stderr = '';
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
      newline = buffer.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return {
    process: child,
    lines,
    exited,
    send: (line) => child.stdin.write(`${line}\n`),
    waitForLine(test) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        waiters.add({ test, resolve });
        exited.then(({ code, signal }) =>
          reject(new Error(`child exited (${code ?? signal}) before the line; stderr: ${stderr}`)),
        );
      });
    },
  };
}
