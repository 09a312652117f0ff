/**
 * The soak's long-running service: the app's role, renewing every account on its schedule.
 *
 * `service-process <dataDir> <passphrase> <scryptN> <requestTimeoutMs>`. Prints `{"k":"ready"}`
 * once the vault is open and the timers armed, then every second the worst event-loop delay of
 * that second (`{"k":"lag"}`), which the checks use to tell a renewal late from load. Runs until
 * it is killed.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
  transport: pidTransport(),
});
report({ k: 'ready', t: Date.now(), pid: process.pid });
setInterval(() => {
  report({ k: 'lag', t: Date.now(), maxMs: Math.round(lag.max / 1e6) });
  lag.reset();
}, 1_000);
