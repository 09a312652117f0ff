import type { ReactNode } from 'react';

/** The title and one-line subtitle at the top of a view (Accounts, Providers, …), and its actions. */
export function ViewHeader({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: string;
  children?: ReactNode;
}) {
  return (
    <header className="view__header">
      <div>
        <h1 className="view__title">{title}</h1>
        <p className="view__subtitle">{subtitle}</p>
      </div>
      {children}
    </header>
  );
}

/** The title, and the subtitle when there is one, of a vault screen (setup, unlock, recovery). */
export function GateHeader({ title, subtitle }: { title: string; subtitle?: string }) {
  return (
    <header className="gate__header">
      <h1 className="view__title">{title}</h1>
      {subtitle ? <p className="view__subtitle">{subtitle}</p> : null}
    </header>
  );
}
