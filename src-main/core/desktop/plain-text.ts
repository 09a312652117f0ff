/**
 * Text from outside (an account label, a provider name, a status reason) made fit for a menu
 * item or a notification: control and bidirectional-override characters become spaces
 * (SECURITY 50), runs of whitespace one space, and anything past `max` characters an ellipsis.
 */
export function plainText(text: string, max = 64): string {
  const clean = text
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}
