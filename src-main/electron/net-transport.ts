import { net, session } from 'electron';
import { createChromiumTransport, trustedByExtraCa, type Transport } from '../core';

/** Electron's certificate verdicts (`setCertificateVerifyProc`). */
const ACCEPT = 0;
const CHROMIUM_DECIDES = -3;

/**
 * The app's transport: Chromium's network stack (`net.fetch`), which follows the OS proxy, PAC
 * and the OS trust store, with the data folder's settings applied over them (see
 * chromium-transport.ts). Only the wiring lives here.
 *
 * The extra certificate authority of Settings → Network is honoured where Chromium's own check
 * failed: a chain one of those CAs signed, for the host asked, is accepted; anything else keeps
 * Chromium's verdict.
 */
export function createElectronTransport(): Transport {
  const ses = session.defaultSession;
  const transport = createChromiumTransport({
    fetch: (url, init) => net.fetch(url, { ...init, bypassCustomProtocolHandlers: true }),
    setProxy: (config) => ses.setProxy(config),
  });
  ses.setCertificateVerifyProc((request, callback) => {
    const extra = transport.extraCas();
    if (request.errorCode === 0 || extra.length === 0) {
      callback(CHROMIUM_DECIDES);
      return;
    }
    const chain: string[] = [];
    for (let cert: Electron.Certificate | undefined = request.certificate; cert;) {
      chain.push(cert.data);
      cert = cert.issuerCert && cert.issuerCert !== cert ? cert.issuerCert : undefined;
      if (chain.length > 10) break;
    }
    callback(trustedByExtraCa(chain, extra, request.hostname) ? ACCEPT : CHROMIUM_DECIDES);
  });
  return transport;
}
