/**
 * Human wording for times: a live countdown ("in 52m 10s"), a relative past ("3 min ago"), and
 * local clock times for tooltips and the inspector.
 */

/** A countdown to expiry, to the second under an hour: "in 52m 10s", "expired 3m ago", "never". */
export function formatCountdown(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'never';
  const delta = expiresAt - now;
  const span = compactSpan(Math.abs(delta));
  return delta >= 0 ? `in ${span}` : `expired ${span} ago`;
}

function compactSpan(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** "just now", "3 min ago", "2 h ago", "4 days ago"; "in …" for a future time. */
export function formatRelative(at: number, now: number): string {
  const delta = now - at;
  const future = delta < 0;
  const ms = Math.abs(delta);
  const minutes = Math.floor(ms / 60_000);
  let span: string;
  if (minutes < 1) return future ? 'in a moment' : 'just now';
  if (minutes < 60) span = `${minutes} min`;
  else if (minutes < 48 * 60) span = `${Math.floor(minutes / 60)} h`;
  else span = `${Math.floor(minutes / (24 * 60))} days`;
  return future ? `in ${span}` : `${span} ago`;
}

const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** A local time of day, "14:05:09". */
export function formatClock(at: number): string {
  return clockFormat.format(at);
}

/** A local date and time, "29 Nov 2026, 14:05:09". */
export function formatDateTime(at: number): string {
  return dateTimeFormat.format(at);
}
