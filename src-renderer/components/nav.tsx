import type { View } from '../store';
import { useStore } from '../store';

const ITEMS: Array<{ view: View; label: string; hint?: string }> = [
  { view: 'accounts', label: 'Accounts' },
  { view: 'providers', label: 'Providers' },
  { view: 'console', label: 'Console' },
  { view: 'settings', label: 'Settings' },
];

/** The left navigation between the app's views. */
export function Nav() {
  const view = useStore((state) => state.view);
  const setView = useStore((state) => state.setView);
  return (
    <nav className="nav" aria-label="Main">
      <ul>
        {ITEMS.map((item) => (
          <li key={item.view}>
            <button
              type="button"
              className={item.view === view ? 'nav__item nav__item--active' : 'nav__item'}
              aria-current={item.view === view ? 'page' : undefined}
              onClick={() => setView(item.view)}
            >
              <span>{item.label}</span>
              {item.hint ? <span className="nav__hint">{item.hint}</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
