/**
 * Plain-text tables and times for the CLI's human output. `--json` bypasses all of this.
 */

export function table(headers: string[], rows: string[][]): string {
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

/** "in 52m", "3h ago", "never". */
export function relativeTime(at: number | null, now: number): string {
  if (at === null) return 'never';
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
