import { beforeAll, describe, expect, it, vi } from 'vitest';
import { scannedTempDir } from '../../helpers/secret-registry';
import { makeCertificates, type Certificates } from '../../helpers/servers/tls-api';

type VerifyProc = (
  request: { hostname: string; certificate: unknown; errorCode: number },
  callback: (verdict: number) => void,
) => void;

const electron = vi.hoisted(() => ({
  fetch: vi.fn(async (_url: string, _init: RequestInit) => new Response('ok')),
  setProxy: vi.fn(async (_config: unknown) => undefined),
  verifyProc: undefined as VerifyProc | undefined,
}));

vi.mock('electron', () => ({
  net: { fetch: electron.fetch },
  session: {
    defaultSession: {
      setProxy: electron.setProxy,
      setCertificateVerifyProc: (proc: VerifyProc) => {
        electron.verifyProc = proc;
      },
    },
  },
}));

const { createElectronTransport } = await import('../../../src-main/electron/net-transport');

let certificates: Certificates;
beforeAll(() => {
  certificates = makeCertificates(scannedTempDir('tokendeck-electron-net-'));
});

function verdict(request: Parameters<VerifyProc>[0]): number {
  let result = Number.NaN;
  electron.verifyProc!(request, (value) => (result = value));
  return result;
}

describe('the Electron transport', () => {
  it('sends through net.fetch, never following redirects, and gives the session the proxy', async () => {
    const transport = createElectronTransport();
    const response = await transport.fetch('https://as.example/token', { method: 'POST' });
    expect(await response.text()).toBe('ok');
    expect(electron.fetch).toHaveBeenCalledWith('https://as.example/token', {
      method: 'POST',
      redirect: 'manual',
      bypassCustomProtocolHandlers: true,
    });
    transport.configure({ proxy: { mode: 'direct' } });
    expect(electron.setProxy).toHaveBeenLastCalledWith({ mode: 'direct' });
  });

  it("keeps Chromium's verdict, except for a chain the settings' extra CA signed for the host", () => {
    const transport = createElectronTransport();
    const leaf = { data: certificates.good.cert };
    const failed = { hostname: '127.0.0.1', certificate: leaf, errorCode: -202 };
    expect(verdict(failed)).toBe(-3);
    transport.configure({
      proxy: { mode: 'system' },
      ca: { pem: certificates.ca, name: 'corp-ca.pem' },
    });
    expect(verdict(failed)).toBe(0);
    expect(verdict({ ...failed, hostname: 'api.internal.example' })).toBe(-3);
    expect(verdict({ ...failed, certificate: { data: certificates.otherName.cert } })).toBe(-3);
    // What Chromium trusted stays trusted, and is not looked at again.
    expect(verdict({ ...failed, errorCode: 0 })).toBe(-3);
  });
});
