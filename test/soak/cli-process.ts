/**
 * One of the soak's CLI processes: `tokendeck token` and `tokendeck request` on random accounts
 * (a third of them on a few hot ones), in a loop, through the real command-line code (`runCli`), each command opening the vault anew
 * as a separate invocation would.
 *
 * `cli-process <dataDir> <accountsFile> <passphrase> <scryptN> <timeoutMs> <pauseMin> <pauseMax>
 * <requestShare> <seed>`. The vault is unlocked with a test-only low scrypt cost. Each command
 * is reported as one JSON line, with the token it printed. A `stop` line on stdin ends the loop
 * after the current command.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runCli } from '../../src-main/cli/run';
import { memoryIo } from '../helpers/memory-io';
import { seededRandom } from './soak-config';
import { pidTransport, report } from './pid-header';

const [dataDir, accountsFile, passphrase, scryptN, timeoutMs, pauseMin, pauseMax, share, seed] =
  process.argv.slice(2);
if (!dataDir || !accountsFile || !passphrase) throw new Error('usage: see the file comment');

const accounts = JSON.parse(readFileSync(accountsFile, 'utf8')) as Array<{
  id: string;
  hot?: boolean;
}>;
const hot = accounts.filter((account) => account.hot);
const random = seededRandom(Number(seed));
let stopping = false;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stop') stopping = true;
});
const host = {
  service: {
    scryptN: Number(scryptN),
    requestTimeoutMs: Number(timeoutMs),
    transport: pidTransport(),
  },
};

while (!stopping) {
  // A third of the commands go to a few hot accounts, so that processes race on one account.
  const pool = hot.length > 0 && random() < 0.3 ? hot : accounts;
  const account = pool[Math.floor(random() * pool.length)]!.id;
  const isRequest = random() < Number(share);
  // Half the `token` calls keep the default --min-ttl (60 s), which renews these short-lived
  // tokens nearly every time; the others take what the service keeps fresh.
  const argv = isRequest
    ? ['request', account, 'GET', '/me', '-H', `X-Soak-Pid: ${process.pid}`, '--json']
    : ['token', account, ...(random() < 0.5 ? ['--min-ttl', '5'] : [])];
  const io = memoryIo({ TOKENDECK_PASSPHRASE: passphrase });
  const startedAt = Date.now();
  const code = await runCli(['--data-dir', dataDir, ...argv], io, host);
  const out = io.out();
  const line: Record<string, unknown> = {
    k: 'cmd',
    pid: process.pid,
    cmd: isRequest ? 'request' : 'token',
    account,
    startedAt,
    endedAt: Date.now(),
    code,
  };
  if (code === 0 && !isRequest) line.token = out.trim();
  if (code === 0 && isRequest) line.status = (JSON.parse(out) as { status: number }).status;
  if (code !== 0) line.error = io.err().split('\n')[0];
  report(line);
  const pause = Number(pauseMin) + random() * (Number(pauseMax) - Number(pauseMin));
  await new Promise((resolve) => setTimeout(resolve, pause));
}
process.exit(0);
