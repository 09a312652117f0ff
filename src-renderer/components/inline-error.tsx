/** A failure shown where it happened, announced as an alert; nothing when there is none. */
export function InlineError({ message }: { message: string | null | undefined }) {
  return message ? (
    <p className="inline-error" role="alert">
      {message}
    </p>
  ) : null;
}
