/**
 * Reading who an account is from a "who am I" answer: which field proves the subject, and which
 * names it.
 *
 * Real userinfo endpoints are often plain JSON without `sub` (the PHP seed answers `username`,
 * `email` and `full_name`), so the subject is the first of {@link SUBJECT_FIELDS}, and only when
 * the answer has none of them the first of {@link WEAK_SUBJECT_FIELDS}. The label is the first
 * of {@link LABEL_FIELDS}. A profile's own dotted paths (`--whoami-subject`, `--whoami-label`)
 * override both.
 */

/** What the provider proved about the signed-in party. */
export interface AccountIdentity {
  /** The subject the provider proved; null when it proved nothing. */
  subject: string | null;
  /** What proved it: the answer's field (`sub`, `email`), `ID token`, `client id`, …. */
  identifiedBy: string | null;
  /** A name for people; null when the answer has none. */
  label: string | null;
}

export const SUBJECT_FIELDS = ['sub', 'id', 'user_id', 'uid'] as const;
export const WEAK_SUBJECT_FIELDS = ['username', 'login', 'email'] as const;
export const LABEL_FIELDS = [
  'name',
  'full_name',
  'display_name',
  'username',
  'login',
  'email',
] as const;

/** No identity: the provider proved nothing. */
export const UNPROVEN: AccountIdentity = { subject: null, identifiedBy: null, label: null };

/** Labels and subjects longer than this are cut; they come from servers. */
const MAX_TEXT = 500;

/**
 * The identity an answer proves: the subject at `paths.subject` (or the default fields), and the
 * label at `paths.label` (or the default fields, else the subject).
 */
export function identityFrom(
  answer: Record<string, unknown>,
  paths: { subject?: string | undefined; label?: string | undefined },
): AccountIdentity {
  const subject = paths.subject
    ? withField(paths.subject, pick(answer, paths.subject))
    : (first(answer, SUBJECT_FIELDS) ?? first(answer, WEAK_SUBJECT_FIELDS));
  const label = paths.label ? pick(answer, paths.label) : first(answer, LABEL_FIELDS)?.value;
  return {
    subject: subject?.value ?? null,
    identifiedBy: subject?.field ?? null,
    label: label ?? subject?.value ?? null,
  };
}

function withField(field: string, value: string | undefined) {
  return value === undefined ? undefined : { field, value };
}

function first(
  answer: Record<string, unknown>,
  fields: readonly string[],
): { field: string; value: string } | undefined {
  for (const field of fields) {
    const value = pick(answer, field);
    if (value !== undefined) return { field, value };
  }
  return undefined;
}

/** A string or finite number at a dotted path, as a string. */
export function pick(source: unknown, path: string): string | undefined {
  let value: unknown = source;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim().length > 0) return value.slice(0, MAX_TEXT);
  return undefined;
}
