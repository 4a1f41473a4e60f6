// Every rule id of every SPEC.md in the repository is named by a test (in its title or header
// comment), and every id a test names is defined by some SPEC.md: a rule nobody tests, or a test
// citing a rule that does not exist, fails here with the id and the file to fix.
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage']);
/** Standards whose names look like rule ids ("CRC-32", "UTF-8"): never rules of ours. */
const NOT_RULES = new Set(['CRC', 'UTF', 'SHA', 'RFC', 'ISO']);
/** `SYNC-2`, or a range such as `STORE-1…9` / `SNAP-1..11`, which stands for each id in it. */
const ID = /\b([A-Z]{2,})-(\d+)(?:(?:…|\.\.\.?)(\d+))?\b/g;

/** Every file under `dir` (relative to the repository) that `keep` accepts, skipping build and package folders. */
async function filesUnder(dir: string, keep: (relative: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(ROOT, dir), { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(relative, keep)));
    else if (keep(relative)) out.push(relative);
  }
  return out.sort();
}

/** The rule ids a text holds, ranges spelled out. */
function idsIn(text: string): Set<string> {
  const ids = new Set<string>();
  for (const [, prefix = '', from, to] of text.matchAll(ID)) {
    if (NOT_RULES.has(prefix)) continue;
    const first = Number(from);
    const last = to !== undefined && Number(to) > first ? Number(to) : first;
    for (let n = first; n <= last; n++) ids.add(`${prefix}-${n}`);
  }
  return ids;
}

/** id → the files that hold it. */
async function idsOf(files: string[]): Promise<Map<string, string[]>> {
  const where = new Map<string, string[]>();
  for (const file of files) {
    for (const id of idsIn(await fs.readFile(path.join(ROOT, file), 'utf8'))) where.set(id, [...(where.get(id) ?? []), file]);
  }
  return where;
}

const isSpec = (file: string) => path.basename(file) === 'SPEC.md';
const isTestFile = (file: string) => file.split(path.sep).includes('test') && /\.(ts|tsx|mjs|js)$/.test(file) && path.join(ROOT, file) !== import.meta.filename;
const listed = (ids: Map<string, string[]>) => [...ids].map(([id, files]) => `${id} (${files.join(', ')})`).join('; ');

describe('SPEC coverage', () => {
  it('reads ids as the SPECs and tests write them: single, ranges, standards left out', () => {
    expect([...idsIn('**ABC-2** x, **DEF-1…3** (and GHI-11); JKL-4..6, UTF-8, CRC-32, STO-3G, A-1, MNO-7.. on')]).toEqual([
      'ABC-2',
      'DEF-1',
      'DEF-2',
      'DEF-3',
      'GHI-11',
      'JKL-4',
      'JKL-5',
      'JKL-6',
      'MNO-7',
    ]);
  });

  it('every id a SPEC.md defines is named by a test, and every id a test names is in a SPEC.md', async () => {
    const specs = await filesUnder('.', isSpec);
    expect(specs, 'the SPECs found').toContain(path.join('sync-server', 'SPEC.md'));
    const tests = await filesUnder('.', isTestFile);
    const defined = await idsOf(specs);
    const named = await idsOf(tests);
    // Not vacuous: the server's SPEC alone defines a few dozen rules.
    expect(defined.size).toBeGreaterThan(20);

    const untested = new Map([...defined].filter(([id]) => !named.has(id)));
    const undefinedIds = new Map([...named].filter(([id]) => !defined.has(id)));
    const problems = [
      untested.size > 0 && `SPEC ids no test names: ${listed(untested)}. Name each in the title or header comment of the test that checks it, or write that test.`,
      undefinedIds.size > 0 && `Ids tests name that no SPEC.md defines: ${listed(undefinedIds)}. Define the rule in a SPEC.md, or correct the test's reference.`,
    ].filter(Boolean);
    expect(problems).toEqual([]);
  });
});
