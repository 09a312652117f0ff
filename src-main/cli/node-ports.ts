import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { TokendeckError, type BrowserOpener, type Clipboard } from '../core';

/**
 * The CLI's implementations of the core's ports, in plain Node.
 */

export interface CliIo {
  stdout: Pick<Writable, 'write'> & { isTTY?: boolean };
  stderr: Pick<Writable, 'write'>;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
}

/**
 * Opens URLs with `$BROWSER` when set, else the OS opener; `--no-browser` only prints them. A
 * device verification page is not printed again: `connect` has shown it with its code.
 *
 * `$BROWSER` follows the common convention: a command, where `%s` (if present) is replaced by
 * the URL, else the URL is appended as the last argument. The command runs without a shell.
 */
export function createBrowserOpener(io: CliIo, options: { print: boolean }): BrowserOpener {
  return {
    async open(url: string, purpose: 'sign-in' | 'device' = 'sign-in'): Promise<void> {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new TokendeckError('invalid_input', 'Only http(s) URLs are opened in the browser.');
      }
      // The parsed form: WHATWG URL serialization percent-encodes what could steer a terminal.
      if (purpose === 'sign-in')
        io.stderr.write(`Open this URL in your browser to sign in:\n${parsed.href}\n`);
      if (options.print) return;
      const [command, ...args] = browserCommand(io.env, url);
      if (!command) return;
      await new Promise<void>((resolve, reject) => {
        const child = spawn(command, args, { stdio: 'ignore', detached: true });
        child.once('error', (error) =>
          reject(
            new TokendeckError('browser_failed', `Could not start the browser "${command}".`, {
              cause: error,
            }),
          ),
        );
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
    },
  };
}

function browserCommand(env: NodeJS.ProcessEnv, url: string): string[] {
  const configured = env.BROWSER?.split(':')[0]?.trim();
  if (configured) {
    const parts = configured.split(/\s+/);
    return parts.some((part) => part.includes('%s'))
      ? parts.map((part) => part.replaceAll('%s', url))
      : [...parts, url];
  }
  switch (process.platform) {
    case 'darwin':
      return ['open', url];
    case 'win32':
      return ['rundll32', 'url.dll,FileProtocolHandler', url];
    default:
      return ['xdg-open', url];
  }
}

/** The CLI has no clipboard: `tokendeck token` prints the token for a pipe instead. */
export const noClipboard: Clipboard = {
  writeText(): void {
    throw new TokendeckError(
      'unsupported',
      'The command line has no clipboard; use: tokendeck token <account>',
    );
  },
  readText: () => '',
  clear(): void {},
};

/** Reads all of standard input as text, without the final line break. */
export async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * Asks for a secret on the terminal without echoing it.
 *
 * Refuses with `missing` when standard input is not a terminal, so a script never hangs on a
 * hidden prompt. The typed bytes are decoded as one UTF-8 stream, so a character split across
 * two reads is not mangled (a passphrase typed at a prompt must open the vault it made).
 */
export async function promptHidden(
  io: CliIo,
  question: string,
  missing: TokendeckError = new TokendeckError(
    'vault_locked',
    'No passphrase: set TOKENDECK_PASSPHRASE, or run in a terminal to be asked.',
  ),
): Promise<string> {
  const stdin = io.stdin;
  if (!stdin.isTTY || !stdin.setRawMode) throw missing;
  io.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const decoder = new StringDecoder('utf8');
      const onData = (chunk: Buffer | string) => {
        const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
        for (const char of text) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            io.stderr.write('\n');
            resolve(value);
            return;
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            reject(new TokendeckError('cancelled', 'Cancelled.'));
            return;
          }
          if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
          else value += char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** Reads a file named on the command line as text, `-` meaning standard input. */
export async function readTextFile(io: CliIo, path: string, option: string): Promise<string> {
  if (path === '-') return readStdin(io);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TokendeckError('invalid_input', `${option}: cannot read ${path} (${code}).`, {
      cause: error,
    });
  }
}

/**
 * Asks a yes/no question on the terminal; only "y" or "yes" is yes.
 *
 * Returns null when standard input is not a terminal, so a script never waits on a question.
 */
export async function confirm(io: CliIo, question: string): Promise<boolean | null> {
  if (!io.stdin.isTTY) return null;
  io.stderr.write(question);
  const stdin = io.stdin;
  stdin.resume();
  try {
    const answer = await new Promise<string>((resolve) => {
      let line = '';
      const onData = (chunk: Buffer | string) => {
        line += chunk.toString();
        const end = line.search(/[\r\n]/);
        if (end >= 0) {
          stdin.off('data', onData);
          resolve(line.slice(0, end));
        }
      };
      stdin.on('data', onData);
      stdin.once('end', () => resolve(line));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    stdin.pause();
  }
}
