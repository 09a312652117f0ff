import { EmptyState } from './empty-state';
import { ViewHeader } from './page-header';

/** The request console's place in the shell; the console itself is a later issue. */
export function ConsoleView() {
  return (
    <div className="view">
      <ViewHeader
        title="Console"
        subtitle="Try REST and GraphQL requests with your stored accounts."
      />
      <EmptyState title="Coming soon">
        <p>The request console arrives in a later release.</p>
      </EmptyState>
    </div>
  );
}
