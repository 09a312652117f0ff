import type { ServerResponse } from 'node:http';

/**
 * The tiny pages the loopback listener answers the browser with.
 *
 * Static HTML with every dynamic value text-escaped, a CSP that allows nothing to load or run,
 * no referrer (so the callback URL with its code never leaks onward), and no caching.
 */
const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
} as const;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function sendPage(
  response: ServerResponse,
  status: number,
  title: string,
  message: string,
): void {
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)} · Tokendeck</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  response.writeHead(status, { ...HEADERS, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
