/**
 * `name`, or `name_2`, `name_3`… the first not in `taken` (which it joins); made an identifier
 * first (ngspice's `v(out)` → `v_out`), as compound skills' port names must be.
 */
export function uniquePortName(name: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'port';
  if (/^[0-9]/.test(base)) base = `_${base}`;
  base = base.slice(0, 60);
  let candidate = base;
  for (let k = 2; taken.has(candidate); k++) candidate = `${base}_${k}`;
  taken.add(candidate);
  return candidate;
}
