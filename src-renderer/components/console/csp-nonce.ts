/**
 * The per-load style nonce the app protocol put in this page's Content Security Policy.
 *
 * The policy (meta tag and header, the same) allows `<style nonce="…">` and nothing else inline;
 * CodeMirror's injected styles carry this nonce through its `cspNonce` facet. Without a nonce (a
 * page served some other way) the editor still works, only unstyled.
 */
export function styleNonce(doc: Document = document): string | undefined {
  const policy = doc
    .querySelector('meta[http-equiv="Content-Security-Policy"]')
    ?.getAttribute('content');
  const styleSrc = policy
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('style-src '));
  return styleSrc ? /'nonce-([A-Za-z0-9+/]+={0,2})'/.exec(styleSrc)?.[1] : undefined;
}
