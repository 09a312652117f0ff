import type { ReactNode } from 'react';

/** A friendly, centred message for a list with nothing in it yet. */
export function EmptyState({
  title,
  children,
  icon,
}: {
  title: string;
  children: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <section className="empty" aria-label={title}>
      {icon ? (
        <div className="empty__icon" aria-hidden="true">
          {icon}
        </div>
      ) : null}
      <h2 className="empty__title">{title}</h2>
      <div className="empty__body">{children}</div>
    </section>
  );
}
