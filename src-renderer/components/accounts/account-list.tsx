import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../../store';
import { buildListItems, type ListItem } from './account-items';
import { AccountRow, type RowCallbacks } from './account-row';

const GROUP_HEIGHT = 40;
const ROW_HEIGHT = 68;

/**
 * The grouped, virtualised account list: only the rows on screen (plus a few) are mounted, so a
 * thousand accounts scroll as smoothly as ten, and only mounted rows tick.
 *
 * One row is tabbable at a time (roving focus); arrows move between rows, and the row keys are
 * Enter (inspect), Ctrl/Cmd+C (copy) and Delete (remove, after a confirmation).
 */
export function AccountList({
  query,
  onRemove,
  onRename,
  onMerge,
}: {
  query: string;
  onRemove(accountId: string): void;
  onRename(accountId: string): void;
  onMerge(accountId: string): void;
}) {
  const order = useStore((state) => state.accountOrder);
  const byId = useStore((state) => state.accountsById);
  const openConnect = useStore((state) => state.openConnect);
  const focusRequest = useStore((state) => state.focusRequest);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  // Re-grouped when membership, order or a searched field changes, never on a tick.
  const items = useMemo(
    () => buildListItems(order, byId, query, collapsed),
    [order, byId, query, collapsed],
  );
  const accountIndex = useMemo(() => {
    const map = new Map<string, number>();
    items.forEach((item, index) => {
      if (item.kind === 'account') map.set(item.id, index);
    });
    return map;
  }, [items]);

  // The virtualiser keeps its own mutable state, so the React Compiler leaves this component as is.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (items[index]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    getItemKey: (index) => {
      const item = items[index] as ListItem;
      return item.kind === 'group' ? `group:${item.providerId}` : item.id;
    },
    overscan: 8,
    // A first guess until the list is measured (and what a layout-less test DOM keeps).
    initialRect: { width: 1000, height: 720 },
  });

  const focusAccount = useCallback(
    (accountId: string) => {
      const index = accountIndex.get(accountId);
      if (index === undefined) return;
      setFocused(accountId);
      virtualizer.scrollToIndex(index, { align: 'auto' });
      requestAnimationFrame(() =>
        scroller.current
          ?.querySelector<HTMLElement>(`[data-account-id="${CSS.escape(accountId)}"]`)
          ?.focus(),
      );
    },
    [accountIndex, virtualizer],
  );

  useEffect(() => {
    if (focusRequest) focusAccount(focusRequest.accountId);
    // Only a new request moves focus; later list changes must not steal it back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest]);

  // Rows are memoised on primitive props and these callbacks, which read the latest values
  // through a ref, so an event for one account re-renders that row only.
  const latest = useRef({ items, onRemove, onRename, onMerge, focusAccount });
  useEffect(() => {
    latest.current = { items, onRemove, onRename, onMerge, focusAccount };
  });
  const callbacks = useMemo<RowCallbacks>(
    () => ({
      onRemove: (accountId) => latest.current.onRemove(accountId),
      onRename: (accountId) => latest.current.onRename(accountId),
      onMerge: (accountId) => latest.current.onMerge(accountId),
      onFocusRow: setFocused,
      onMoveFocus: (accountId, step) => {
        const { items, focusAccount } = latest.current;
        const ids = items.flatMap((item) => (item.kind === 'account' ? [item.id] : []));
        const at = ids.indexOf(accountId);
        const target =
          step === -Infinity
            ? ids[0]
            : step === Infinity
              ? ids[ids.length - 1]
              : ids[Math.min(ids.length - 1, Math.max(0, at + step))];
        if (target) focusAccount(target);
      },
    }),
    [],
  );

  const firstAccount = items.find((item) => item.kind === 'account');
  const tabbableId =
    focused !== null && accountIndex.has(focused)
      ? focused
      : firstAccount?.kind === 'account'
        ? firstAccount.id
        : null;

  if (items.length === 0) {
    return <p className="muted list-empty">No account matches “{query}”.</p>;
  }

  return (
    <div ref={scroller} className="account-list" data-testid="account-list">
      <div
        role="list"
        aria-label="Accounts"
        className="account-list__inner"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((virtual) => {
          const item = items[virtual.index] as ListItem;
          const style = {
            position: 'absolute' as const,
            top: 0,
            left: 0,
            right: 0,
            height: virtual.size,
            transform: `translateY(${virtual.start}px)`,
          };
          if (item.kind === 'group') {
            return (
              <div key={virtual.key} role="listitem" className="group-header" style={style}>
                <button
                  type="button"
                  className="group-header__toggle"
                  aria-expanded={!item.collapsed}
                  onClick={() =>
                    setCollapsed((current) => {
                      const next = new Set(current);
                      if (next.has(item.providerId)) next.delete(item.providerId);
                      else next.add(item.providerId);
                      return next;
                    })
                  }
                >
                  <span className="chevron" aria-hidden="true">
                    {item.collapsed ? '▸' : '▾'}
                  </span>
                  <span className="group-header__name">{item.providerName}</span>
                  <span className="group-header__count">{item.count}</span>
                </button>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => openConnect(item.providerId)}
                  aria-label={`Connect another ${item.providerName} account`}
                >
                  + Connect
                </button>
              </div>
            );
          }
          return (
            <AccountRow
              key={virtual.key}
              id={item.id}
              tabbable={item.id === tabbableId}
              start={virtual.start}
              size={virtual.size}
              callbacks={callbacks}
            />
          );
        })}
      </div>
    </div>
  );
}
