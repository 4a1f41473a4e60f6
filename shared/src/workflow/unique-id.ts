/**
 * `base`, or `base-2`, `base-3`… the first not in `taken` (which it joins): ids for nodes and
 * edges that a graph rewrite adds beside the ones already there.
 */
export function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}
