/** Keeps the items whose name contains every word of the query, ignoring case. */
export function filterByName<T extends { name: string }>(items: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((item) => {
    const name = item.name.toLowerCase();
    return words.every((w) => name.includes(w));
  });
}

/** Sorts listings by creation, newest first, so renaming or editing one does not move it. */
export function newestFirst<T extends { id: string; created_at: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
}
