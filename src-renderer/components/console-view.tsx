import { EmptyState } from './empty-state';

/** The request console's place in the shell; the console itself is a later issue. */
export function ConsoleView() {
  return (
    <div className="view">
      <header className="view__header">
        <div>
          <h1 className="view__title">Console</h1>
          <p className="view__subtitle">Try REST and GraphQL requests with your stored accounts.</p>
        </div>
      </header>
      <EmptyState title="Coming soon">
        <p>The request console arrives in a later release.</p>
      </EmptyState>
    </div>
  );
}
