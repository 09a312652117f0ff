/**
 * The soak's long-running service: the app's role, renewing every account on its schedule.
 *
 * `service-process <dataDir> <passphrase> <scryptN> <requestTimeoutMs>`. Prints `{"k":"ready"}`
 * once the vault is open and the timers armed, then every second the worst event-loop delay of
 * that second (`{"k":"lag"}`), which the checks use to tell a renewal late from load, and every
 * lifecycle log line about an account (`{"k":"event"}`: renewal started, renewed, failed and when
 * it retries, or found renewed by another process), which tell the checks what the service did
 * with a token that expired unrenewed. Runs until it is killed.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../src-main/core/log';
import { createService } from '../../src-main/core/service';
import { pidTransport, report } from './pid-header';
import { createMemoryClipboard } from '../helpers/fake-ports';

const [dataDir, passphrase, scryptN, requestTimeoutMs] = process.argv.slice(2);
if (!dataDir || !passphrase) throw new Error('usage: <dataDir> <passphrase> <scryptN> <timeoutMs>');

const lag = monitorEventLoopDelay({ resolution: 20 });
lag.enable();
await createService({
  dataDir,
  passphrase,
  scryptN: Number(scryptN),
  requestTimeoutMs: Number(requestTimeoutMs),
  browser: { open: async () => undefined },
  clipboard: createMemoryClipboard(),
  schedule: true,
  logger: lifecycleEvents(createLogger({ file: join(dataDir, 'logs', 'tokendeck.log') })),
  transport: pidTransport(),
});
report({ k: 'ready', t: Date.now(), pid: process.pid });
setInterval(() => {
  report({ k: 'lag', t: Date.now(), maxMs: Math.round(lag.max / 1e6) });
  lag.reset();
}, 1_000);

/**
 * The service's own log (the data folder's, which the leak scan reads), and its lifecycle lines
 * about an account passed to the parent with no field but these: renewal started, renewed, failed
 * (with when it retries), refused, or found renewed by another process. A line with an error is not passed:
 * the failure it reports has its own line with the retry time.
 */
function lifecycleEvents(log: Logger): Logger {
  const pass = (message: string, fields: Record<string, unknown> = {}) => {
    if (typeof fields.accountId !== 'string' || 'error' in fields) return;
    const event: Record<string, unknown> = { k: 'event', t: Date.now(), message };
    event.accountId = fields.accountId;
    if (typeof fields.retryAt === 'number') event.retryAt = fields.retryAt;
    if (typeof fields.code === 'string') event.code = fields.code;
    report(event);
  };
  return {
    debug: (message, fields) => pass(message, fields),
    info: (message, fields) => (log.info(message, fields), pass(message, fields)),
    warn: (message, fields) => (log.warn(message, fields), pass(message, fields)),
    error: (message, fields) => (log.error(message, fields), pass(message, fields)),
  };
}
