import { createNodeTransport, type Transport } from '../../src-main/core/net';

/**
 * A transport that makes every request of this process say who sent it (`X-Soak-Pid`), so the
 * soak's token servers know which process received each answer. Only the soak's child processes
 * use it (the service's `transport` option; the CLI host's `service` options).
 */
export function pidTransport(): Transport {
  const node = createNodeTransport();
  const pid = String(process.pid);
  return {
    fetch: (url, init) => {
      const headers = new Headers(init.headers);
      headers.set('x-soak-pid', pid);
      return node.fetch(url, { ...init, headers });
    },
    exchange: (request, limits, signal) =>
      node.exchange(
        {
          ...request,
          headers: [
            ...request.headers.filter(([name]) => name.toLowerCase() !== 'x-soak-pid'),
            ['X-Soak-Pid', pid],
          ],
        },
        limits,
        signal,
      ),
    configure: (settings) => node.configure(settings),
    describe: () => node.describe(),
  };
}

/** One JSON line to the parent. */
export function report(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
