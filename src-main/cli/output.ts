/**
 * Plain-text tables and times for the CLI's human output, and the one place that makes outside
 * text safe for a terminal. `--json` bypasses the tables; JSON escapes control characters itself.
 */

/**
 * C0 and C1 controls and DEL (`Cc`, but tab and line feed), and the bidirectional marks: what
 * lets text from a server draw a fake line (CR), clear the screen (ESC) or reorder what is shown.
 */
const CONTROLS = /[^\P{Cc}\t\n]|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from outside (a server, a file, a flag) as it may reach a terminal (SECURITY 50).
 *
 * Control characters are dropped; tabs become spaces; line breaks are kept only when `lines`
 * says so (the output the command composed), and become spaces otherwise (a table cell).
 */
export function clean(text: string, lines = false): string {
  const flat = text.replace(CONTROLS, '').replace(/\t/g, ' ');
  return lines ? flat : flat.replace(/\n/g, ' ');
}

export function table(headers: string[], cells: string[][]): string {
  const rows = cells.map((row) => row.map((cell) => clean(cell)));
  if (rows.length === 0) return '';
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** "in 52m", "3h ago", "never"; a time that is not a number says so instead of throwing. */
export function relativeTime(at: number | null, now: number): string {
  if (at === null) return 'never';
  if (!Number.isFinite(at)) return 'unknown';
  const seconds = Math.round((at - now) / 1000);
  const magnitude = Math.abs(seconds);
  const unit =
    magnitude < 60
      ? `${magnitude}s`
      : magnitude < 3600
        ? `${Math.round(magnitude / 60)}m`
        : magnitude < 86_400
          ? `${Math.round(magnitude / 3600)}h`
          : `${Math.round(magnitude / 86_400)}d`;
  return seconds >= 0 ? `in ${unit}` : `${unit} ago`;
}
