/**
 * Human wording for a token's expiry: "in 52 min", "in 3 h", "expired 5 min ago", "never".
 */
export function formatExpiry(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'never';
  const delta = expiresAt - now;
  const span = formatSpan(Math.abs(delta));
  if (delta >= 0) return span === 'now' ? 'now' : `in ${span}`;
  return span === 'now' ? 'just expired' : `expired ${span} ago`;
}

function formatSpan(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return ms < 1000 ? 'now' : `${Math.max(1, Math.floor(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest === 0 || hours >= 10 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  return `${Math.floor(hours / 24)} days`;
}
