/**
 * Makes every fetch of this process say who sent it (`X-Soak-Pid`), so the soak's token servers
 * know which process received each answer. Only the soak's child processes install it.
 */
export function installPidHeader(): void {
  const original = globalThis.fetch;
  globalThis.fetch = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('x-soak-pid', String(process.pid));
    return original(input, { ...init, headers });
  };
}

/** One JSON line to the parent. */
export function report(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
