/**
 * Child process for the saved-requests concurrency test.
 *
 * Usage: library-writer.ts <dataDir> <name> <count>. Opens the service, prints "ready", waits
 * for a line on stdin (so that both children start together), then saves <count> requests and
 * sets <count> variables of provider "shop", each named after <name>, and prints "done".
 */
import { createInterface } from 'node:readline';
import { openTestService } from './test-service';

const [dataDir, name, countArg] = process.argv.slice(2) as [string, string, string];
const count = Number(countArg);

const service = await openTestService(dataDir);
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

for (let i = 0; i < count; i += 1) {
  await service.saveRequest({
    providerId: 'shop',
    name: `${name} ${i}`,
    request: { kind: 'rest', method: 'GET', url: `/echo/${name}/${i}` },
  });
  await service.setEnvVariable({ providerId: 'shop', name: `${name}_${i}`, value: `v${i}` });
}
await service.close();
process.stdout.write('done\n');
