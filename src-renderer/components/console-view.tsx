import { lazy, Suspense } from 'react';

/** The request console, loaded when the Console tab first opens: the editor stays out of the entry. */
const ConsoleScreen = lazy(() => import('./console/console-screen'));

export function ConsoleView() {
  return (
    <Suspense
      fallback={
        <p className="muted" role="status">
          Loading the console…
        </p>
      }
    >
      <ConsoleScreen />
    </Suspense>
  );
}
