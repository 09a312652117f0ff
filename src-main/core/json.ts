/** Parses JSON; undefined when the text is not JSON, for the caller to report in its own words. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
