import type { AccountSummary } from '../../../src-preload/contract';

/**
 * The dashboard's rows: a header per provider, then that provider's accounts unless collapsed.
 *
 * Pure, so the list and the tests share it. Order follows `order` (the store's stable order);
 * the search matches every word against provider, label, subject and scopes.
 */
export type ListItem =
  | { kind: 'group'; providerId: string; providerName: string; count: number; collapsed: boolean }
  | { kind: 'account'; id: string; providerId: string };

export function matchesSearch(account: AccountSummary, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    account.providerName,
    account.providerId,
    account.label,
    account.subject,
    ...account.scopes,
  ]
    .join('\n')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function buildListItems(
  order: readonly string[],
  byId: Readonly<Record<string, AccountSummary>>,
  query: string,
  collapsed: ReadonlySet<string>,
): ListItem[] {
  const groups = new Map<string, { name: string; ids: string[] }>();
  for (const id of order) {
    const account = byId[id];
    if (!account || !matchesSearch(account, query)) continue;
    let group = groups.get(account.providerId);
    if (!group) {
      group = { name: account.providerName, ids: [] };
      groups.set(account.providerId, group);
    }
    group.ids.push(id);
  }
  const items: ListItem[] = [];
  for (const [providerId, group] of groups) {
    const isCollapsed = collapsed.has(providerId) && query.trim() === '';
    items.push({
      kind: 'group',
      providerId,
      providerName: group.name,
      count: group.ids.length,
      collapsed: isCollapsed,
    });
    if (isCollapsed) continue;
    for (const id of group.ids) items.push({ kind: 'account', id, providerId });
  }
  return items;
}
