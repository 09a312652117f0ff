import type { RestDraft, Row } from './console-model';

/**
 * Reads a pasted curl command into a REST draft, as Insomnia and Postman do.
 *
 * The command is split like a POSIX shell would ('single', "double" and backslash quoting, line
 * continuations); it is never run. Understood: the URL, -X, -H, -d/--data*, --json, -G, and
 * --location-trusted. The header that carries a token (`Authorization`, or the provider's own
 * header) is left out: the engine adds the account's token, so a pasted token never enters the
 * draft or the history. Returns null when the text is not a curl command.
 */
export interface ParsedCurl {
  draft: RestDraft;
  locationTrusted: boolean;
  /** Header names left out because they carried credentials. */
  droppedHeaders: string[];
  /** Options that were not understood and were ignored. */
  ignored: string[];
}

export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  const src = text.replace(/\\\r?\n/g, ' ');
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new Error('An opening quote is never closed.');
      current += src.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i += 1;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && /["\\$`]/.test(src[i + 1] ?? '')) i += 1;
        current += src[i];
        i += 1;
      }
      if (i >= src.length) throw new Error('An opening quote is never closed.');
      inWord = true;
      i += 1;
    } else if (ch === '\\') {
      current += src[i + 1] ?? '';
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      i += 1;
    } else {
      current += ch;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(current);
  return words;
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const WITH_VALUE = new Set([
  '-u',
  '--user',
  '-o',
  '--output',
  '-m',
  '--max-time',
  '-A',
  '--user-agent',
  '-e',
  '--referer',
  '-b',
  '--cookie',
  '--connect-timeout',
  '-x',
  '--proxy',
]);
const NO_VALUE = new Set([
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-L',
  '--location',
  '-i',
  '--include',
  '-v',
  '--verbose',
  '-k',
  '--insecure',
  '--compressed',
  '-f',
  '--fail',
  '-g',
  '--globoff',
]);

export function parseCurl(text: string, tokenHeader = 'authorization'): ParsedCurl | null {
  const trimmed = text.trim();
  if (!/^curl\s/.test(trimmed)) return null;
  let words: string[];
  try {
    words = shellWords(trimmed).slice(1);
  } catch {
    return null;
  }
  let method: string | undefined;
  let url = '';
  let getWithData = false;
  let locationTrusted = false;
  const headers: Row[] = [];
  const data: string[] = [];
  let json = false;
  const dropped: string[] = [];
  const ignored: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    const next = () => {
      i += 1;
      return words[i] ?? '';
    };
    if (word === '-X' || word === '--request') method = next().toUpperCase();
    else if (word === '-H' || word === '--header') {
      const line = next();
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const lower = name.toLowerCase();
      if (CREDENTIAL_HEADERS.has(lower) || lower === tokenHeader.toLowerCase()) {
        dropped.push(name);
        continue;
      }
      headers.push({ name, value: line.slice(colon + 1).trim(), enabled: true });
    } else if (['-d', '--data', '--data-raw', '--data-binary', '--data-ascii'].includes(word)) {
      data.push(next());
    } else if (word === '--data-urlencode') {
      const part = next();
      const eq = part.indexOf('=');
      data.push(
        eq < 0
          ? encodeURIComponent(part)
          : `${part.slice(0, eq)}=${encodeURIComponent(part.slice(eq + 1))}`,
      );
    } else if (word === '--json') {
      data.push(next());
      json = true;
    } else if (word === '-G' || word === '--get') getWithData = true;
    else if (word === '--location-trusted') locationTrusted = true;
    else if (word === '--url') url = next();
    else if (WITH_VALUE.has(word)) ignored.push(`${word} ${next()}`.trim());
    else if (NO_VALUE.has(word)) continue;
    else if (word.startsWith('-')) ignored.push(word);
    else if (!url) url = word;
  }
  if (!url) return null;
  const query: Row[] = [];
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const mark = url.indexOf('?');
  if (mark >= 0) {
    for (const [name, value] of new URLSearchParams(url.slice(mark + 1))) {
      query.push({ name, value, enabled: true });
    }
    url = url.slice(0, mark);
  }
  const body = data.join('&');
  if (getWithData && body) {
    for (const [name, value] of new URLSearchParams(body))
      query.push({ name, value, enabled: true });
  }
  const sendsBody = body !== '' && !getWithData;
  const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  let bodyType: RestDraft['bodyType'] = 'none';
  let form: Row[] = [];
  if (sendsBody) {
    if (json || /json/i.test(contentType) || looksLikeJson(body)) bodyType = 'json';
    else if (!contentType || /x-www-form-urlencoded/i.test(contentType)) {
      bodyType = 'form';
      form = [...new URLSearchParams(body)].map(([name, value]) => ({
        name,
        value,
        enabled: true,
      }));
    } else bodyType = 'raw';
  }
  return {
    draft: {
      method: method ?? (sendsBody ? 'POST' : 'GET'),
      url,
      query,
      // The body type puts its own content type back; keep the user's otherwise.
      headers:
        bodyType === 'none' || bodyType === 'raw'
          ? headers
          : headers.filter((h) => h.name.toLowerCase() !== 'content-type'),
      bodyType,
      body: bodyType === 'json' || bodyType === 'raw' ? body : '',
      form,
    },
    locationTrusted,
    droppedHeaders: dropped,
    ignored,
  };
}

function looksLikeJson(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
