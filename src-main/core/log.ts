import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERROR_CODES } from './errors';

/**
 * Structured, redacting logger.
 *
 * Nothing secret may reach a log line: tokens, authorization codes, PKCE verifiers, client
 * secrets and API keys. Two defences stack: values under secret-looking keys are masked, and
 * every exact secret the core has handled is registered with {@link registerSecret} and scrubbed
 * from any string, wherever it appears.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEY =
  /^(access_?token|refresh_?token|id_?token|code|code_?verifier|client_?secret|api_?key|password|passphrase|secret|authorization|registration_?access_?token|token|assertion|state)$/i;
const SECRET_QUERY =
  /([?&#](?:access_token|refresh_token|id_token|code|code_verifier|client_secret|api_key|state|token)=)[^&#\s"]*/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g;

const knownSecrets = new Set<string>();
/** Registered secrets by their first {@link MIN_SECRET_LENGTH} characters, for scrubbing. */
const byPrefix = new Map<string, Set<string>>();
const MIN_SECRET_LENGTH = 6;

/**
 * How many secrets are remembered. A long-running app renews tokens all day; the oldest entries
 * (rotated-away, long-expired tokens) are forgotten first, so memory stays bounded. The
 * key-based and pattern-based masking still applies to every line.
 */
export const MAX_REGISTERED_SECRETS = 4096;

/** Remembers a secret value so that every later log line scrubs it. Short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  forget(value);
  knownSecrets.add(value);
  const prefix = value.slice(0, MIN_SECRET_LENGTH);
  const group = byPrefix.get(prefix) ?? new Set<string>();
  group.add(value);
  byPrefix.set(prefix, group);
  if (knownSecrets.size > MAX_REGISTERED_SECRETS) {
    const oldest = knownSecrets.values().next().value;
    if (oldest !== undefined) forget(oldest);
  }
}

function forget(value: string): void {
  if (!knownSecrets.delete(value)) return;
  const prefix = value.slice(0, MIN_SECRET_LENGTH);
  const group = byPrefix.get(prefix);
  group?.delete(value);
  if (group?.size === 0) byPrefix.delete(prefix);
}

/**
 * Replaces every registered secret in the text, longest match first at each position.
 *
 * Only the secrets whose prefix occurs in the text are compared, so the cost follows the
 * line's length rather than the number of secrets remembered.
 */
function scrubKnown(text: string): string {
  if (knownSecrets.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
  let out = '';
  let copied = 0;
  for (let i = 0; i + MIN_SECRET_LENGTH <= text.length;) {
    let match = '';
    for (const secret of byPrefix.get(text.slice(i, i + MIN_SECRET_LENGTH)) ?? []) {
      if (secret.length > match.length && text.startsWith(secret, i)) match = secret;
    }
    if (match) {
      out += text.slice(copied, i) + '[redacted]';
      i += match.length;
      copied = i;
    } else {
      i++;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Returns the string with every registered secret and secret-looking pattern masked. */
export function redactString(text: string): string {
  return scrubKnown(text.replace(SECRET_QUERY, '$1[redacted]').replace(BEARER, '$1 [redacted]'));
}

/** Deep-copies a value for logging, masking secret keys and scrubbing strings. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return redactString(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, code, message: redactString(value.message) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && inner != null && !isErrorCode(key, inner)
          ? '[redacted]'
          : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}

const KNOWN_CODES: ReadonlySet<unknown> = new Set(ERROR_CODES);

/** An error code under a `code` key (`vault_corrupt`, `EACCES`): not an authorization code. */
function isErrorCode(key: string, value: unknown): boolean {
  return (
    key.toLowerCase() === 'code' &&
    (KNOWN_CODES.has(value) || (typeof value === 'string' && /^E[A-Z0-9]{2,15}$/.test(value)))
  );
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** A file to append JSON lines to; its folder is created 0700. */
  file?: string;
  /** Past this size the file is moved to `<file>.1` when a logger opens it (default 5 MiB). */
  maxFileBytes?: number;
  level?: LogLevel;
  /** Extra sink, for tests and for stderr in verbose CLI mode. */
  sink?: (line: string) => void;
}

/**
 * A logger that never throws into its caller (SECURITY 51): a log line that cannot be written
 * (an unwritable or full disk, a folder where the file should be) is dropped and counted in
 * {@link CountingLogger.failures}, so a failing log can never cost a flow its tokens.
 */
export interface CountingLogger extends Logger {
  /** Log lines this logger could not write. */
  readonly failures: number;
}

export function createLogger(options: LoggerOptions = {}): CountingLogger {
  const min = ORDER[options.level ?? 'info'];
  let failures = 0;
  const attempt = (action: () => void) => {
    try {
      action();
    } catch {
      failures += 1;
    }
  };
  const file = options.file;
  if (file) {
    attempt(() => {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      rotate(file, options.maxFileBytes ?? 5 * 1024 * 1024);
    });
  }
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    attempt(() => {
      const entry = {
        t: new Date().toISOString(),
        level,
        msg: redactString(message),
        ...(fields ? (redact(fields) as object) : {}),
      };
      const line = JSON.stringify(entry);
      if (file) attempt(() => appendFileSync(file, line + '\n', { mode: 0o600 }));
      if (options.sink) attempt(() => options.sink?.(line));
    });
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    get failures() {
      return failures;
    },
  };
}

/** Keeps one previous file, so a long-running app's log stays bounded. */
function rotate(file: string, maxBytes: number): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // no file yet
  }
  if (size > maxBytes) renameSync(file, `${file}.1`);
}

/** A logger that drops everything; for tests that do not look at logs. */
export const nullLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
