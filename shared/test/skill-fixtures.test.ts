/*
 * The fixture set (shared/test/fixtures/skills, see its NOTICE.md): Agent Skills folders from
 * Anthropic's repository and written for the tests (a binary asset, each tolerated oddity), and
 * files of the original product. Each reads as it should, with its warnings on the file's own
 * lines, and comes back byte for byte: through writeSkillFolder, through a volume index synced
 * to a second peer, and through a zip.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSkillOrigin, putSkillOrigin, readSkillFiles, writeSkillFiles, type SkillFile } from '../src/documents/skill-files';
import { getSkillSource, putSkillSource } from '../src/documents/volume-index';
import { unzipSkillArchive, zipSkillFiles } from '../src/skill/archive';
import { readSkillFolder, writeSkillFolder, type FolderSkill } from '../src/skill/folder';
import { formatSkillError, readSkill, type ParsedSkill } from '../src/skill/parse';
import { isRequiredInput } from '../src/skill/ports';

const ROOT = fileURLToPath(new URL('./fixtures/skills/', import.meta.url));

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));

/** The files under a fixture folder, by path relative to the fixture root. */
const entriesOf = (sub: string): SkillFile[] =>
  walk(join(ROOT, sub))
    .map((p) => ({ path: relative(ROOT, p).split('\\').join('/'), bytes: new Uint8Array(readFileSync(p)) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));

const sorted = (files: SkillFile[]) => [...files].sort((a, b) => (a.path < b.path ? -1 : 1));

const AGENT_FOLDERS = readdirSync(join(ROOT, 'agent')).sort();
const ORIGINAL_FILES = readdirSync(join(ROOT, 'original')).filter((f) => f.endsWith('.md')).sort();

/** Every unit of the fixture set: one Agent Skills folder, or one file of the original's. */
const UNITS = [...AGENT_FOLDERS.map((f) => `agent/${f}`), ...ORIGINAL_FILES.map((f) => `original/${f}`)];

function onlySkill(entries: SkillFile[]): FolderSkill {
  const read = readSkillFolder(entries);
  expect(read.refused.flatMap((r) => r.errors.map((e) => ('line' in e ? formatSkillError(e) : e.message)))).toEqual([]);
  expect(read.skipped).toEqual([]);
  expect(read.skills).toHaveLength(1);
  return read.skills[0]!;
}

const unitEntries = (unit: string): SkillFile[] => (unit.endsWith('.md') ? [{ path: unit, bytes: new Uint8Array(readFileSync(join(ROOT, unit))) }] : entriesOf(unit));

describe('the fixture set', () => {
  it('has Agent Skills folders with and without code, with scripts/, references and a binary asset, and the original\'s node and instruction files', () => {
    expect(AGENT_FOLDERS).toEqual(expect.arrayContaining(['brand-guidelines', 'internal-comms', 'webapp-testing', 'web-artifacts-builder', 'chart-maker']));
    const all = UNITS.flatMap(unitEntries).map((e) => e.path);
    expect(all).toEqual(expect.arrayContaining(['agent/web-artifacts-builder/scripts/shadcn-components.tar.gz', 'agent/chart-maker/assets/logo.png', 'agent/chart-maker/references/notes.md', 'agent/webapp-testing/scripts/with_server.py']));
    expect(ORIGINAL_FILES.length).toBeGreaterThanOrEqual(7);
  });

  it('reads whole as one drop: every skill, and the files that are no skill named with why', () => {
    const read = readSkillFolder(entriesOf(''));
    expect(read.refused).toEqual([]);
    expect(read.skills.map((s) => s.origin).sort()).toEqual(UNITS.map((u) => (u.endsWith('.md') ? u : `${u}/SKILL.md`)).sort());
    expect(read.skipped).toEqual([
      { path: '.gitattributes', reason: expect.stringContaining('not inside a skill folder') },
      { path: 'original/LICENSE', reason: expect.stringContaining('not inside a skill folder') },
      { path: 'NOTICE.md', reason: 'a Markdown file without frontmatter, so not a skill' },
    ]);
  });
});

describe('round trip, byte for byte', () => {
  it.each(UNITS)('%s through readSkillFolder and writeSkillFolder', (unit) => {
    const entries = unitEntries(unit);
    const skill = onlySkill(entries);
    expect(sorted(writeSkillFolder({ source: skill.source, files: skill.files, origin: skill.origin, skill: skill.skill }))).toEqual(entries);
  });

  it.each(UNITS)('%s through a volume index synced to another peer', (unit) => {
    const entries = unitEntries(unit);
    const skill = onlySkill(entries);
    const doc = new Y.Doc();
    doc.transact(() => {
      putSkillSource(doc, skill.skillId, skill.source);
      expect(writeSkillFiles(doc, skill.skillId, skill.files).ok).toBe(true);
      putSkillOrigin(doc, skill.skillId, skill.origin);
    });
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const source = getSkillSource(peer, skill.skillId)!;
    const reread = readSkill(source, { file: getSkillOrigin(peer, skill.skillId), skillId: skill.skillId });
    expect(reread.ok && reread.value.frontmatter).toEqual(skill.skill.frontmatter);
    const back = writeSkillFolder({ source, files: readSkillFiles(peer, skill.skillId), origin: getSkillOrigin(peer, skill.skillId), skill: skill.skill });
    expect(sorted(back)).toEqual(entries);
  });

  it('the whole set through a zip archive', () => {
    const entries = UNITS.flatMap(unitEntries);
    const unzipped = unzipSkillArchive(zipSkillFiles(entries));
    expect(unzipped.ok).toBe(true);
    if (!unzipped.ok) return;
    const read = readSkillFolder(unzipped.value);
    expect(read.skills).toHaveLength(UNITS.length);
    const back = read.skills.flatMap((s) => writeSkillFolder({ source: s.source, files: s.files, origin: s.origin, skill: s.skill }));
    expect(sorted(back)).toEqual(sorted(entries));
  });
});

const read = (unit: string): ParsedSkill => onlySkill(unitEntries(unit)).skill;
const warningsOf = (unit: string) => read(unit).warnings.map((w) => [w.line, w.field ?? null, w.message]);

describe('Agent Skills folders', () => {
  it.each(['brand-guidelines', 'internal-comms', 'webapp-testing', 'web-artifacts-builder'])(
    "Anthropic's %s is an instruction skill with its files, its spec fields kept and no warnings",
    (name) => {
      const skill = read(`agent/${name}`);
      expect(skill.kind).toBe('instruction');
      expect(skill.frontmatter).toMatchObject({ name, skill_id: name, type: 'instruction' });
      expect(skill.frontmatter.description.length).toBeGreaterThan(50);
      expect(skill.extra).toEqual({ license: 'Complete terms in LICENSE.txt' });
      expect(skill.warnings).toEqual([]);
    },
  );

  it('chart-maker runs as Python, keeps license, compatibility and metadata, and has its three files', () => {
    const folder = onlySkill(entriesOf('agent/chart-maker'));
    expect(folder.skill.kind).toBe('runnable');
    expect(folder.skill.frontmatter).toMatchObject({ skill_id: 'chart-maker', type: 'python', version: '1.0.0' });
    expect(folder.skill.extra).toEqual({
      license: 'Apache-2.0',
      compatibility: expect.stringContaining('Pyodide'),
      metadata: { author: 'llmunix-tests', version: '1.2.0' },
    });
    expect(folder.files.map((f) => f.path).sort()).toEqual(['assets/logo.png', 'references/notes.md', 'scripts/summarise.py']);
    expect(folder.warnings).toEqual([]);
  });

  it.each<[string, Array<[number, string | null, string]>]>([
    ['allowed-tools-list', [[4, 'allowed-tools', 'allowed-tools is a YAML list; the specification has one space-separated string (kept as written)']]],
    ['bom-start', [[1, null, 'the file starts with a UTF-8 byte order mark; it is read without it and kept as written']]],
    ['crlf-lines', [[1, null, 'the file has CRLF (Windows) line ends; it is read as LF and kept as written']]],
    ['fence-trailing-space', [[4, null, 'this "---" line has spaces around it; it is read as "---"']]],
    [
      'metadata-number',
      [
        [6, 'metadata.version', 'metadata values are strings in the specification; 2 is kept as written'],
        [7, 'metadata.reviewed', 'metadata values are strings in the specification; true is kept as written'],
      ],
    ],
  ])('%s is accepted with a warning on its line', (name, warnings) => {
    expect(warningsOf(`agent/${name}`)).toEqual(warnings);
    expect(read(`agent/${name}`).frontmatter.skill_id).toBe(name);
  });

  it('a CRLF skill runs, with its code and code line as in the LF file', () => {
    const skill = read('agent/crlf-lines');
    expect(skill.kind === 'runnable' && [skill.frontmatter.type, skill.code, skill.codeLine]).toEqual([
      'javascript',
      'function execute(inputs) {\n  return { lines: 3 };\n}',
      15,
    ]);
  });
});

describe("the original's files", () => {
  it('its spice-typed node with a python block runs as Python (the block decides), keeping author and memory_mb', () => {
    const skill = read('original/circuit-rc-node.md');
    expect(skill.kind === 'runnable' && skill.codeLanguage).toBe('python');
    expect(skill.frontmatter).toMatchObject({ skill_id: 'circuit-rc-node', type: 'python', estimated_time_ms: 200, category: 'electronics' });
    expect(skill.extra).toEqual({ author: 'system', memory_mb: 10 });
    expect(warningsOf('original/circuit-rc-node.md')).toEqual([
      [5, 'type', 'type "spice" with a python code block: the block\'s language decides, so it runs as python'],
    ]);
    expect(skill.frontmatter.inputs.every((p) => p.required === true && !isRequiredInput(p))).toBe(true);
  });

  it.each<[string, string, string]>([
    ['quantum-vqe-node.md', 'qiskit', 'python'],
    ['threejs-cube-node.md', 'threejs', 'javascript'],
    ['series-stats.md', 'python', 'python'],
    ['voltage-divider.md', 'ngspice', 'spice'],
  ])('%s is a %s node with a %s block and no warnings', (file, type, language) => {
    const skill = read(`original/${file}`);
    expect(skill.kind === 'runnable' && [skill.frontmatter.type, skill.codeLanguage]).toEqual([type, language]);
    expect(skill.warnings).toEqual([]);
    expect(skill.extra).toMatchObject({ author: expect.any(String), memory_mb: expect.any(Number) });
  });

  it("its Three.js node keeps the original's execute form", () => {
    const skill = read('original/threejs-cube-node.md');
    expect(skill.kind === 'runnable' && skill.code).toMatch(/^function execute\(inputs\) \{/);
  });

  it('python-wasm reads as Python; "default: null, required: False" is an optional input', () => {
    const skill = read('original/series-stats.md');
    expect(skill.frontmatter.inputs).toEqual([
      { name: 'values', type: 'array', description: 'The numbers', default: [1, 2, 3, 4], required: true },
      { name: 'label', type: 'string', description: 'A label for the result', default: null, required: false },
    ]);
    expect(skill.frontmatter.inputs.map(isRequiredInput)).toEqual([false, false]);
  });

  it.each(['data-analysis', 'python-coding'])('%s, without skill_id or code, is an instruction skill named by its file, its keywords as tags', (id) => {
    const skill = read(`original/${id}.md`);
    expect(skill.kind).toBe('instruction');
    expect(skill.frontmatter.skill_id).toBe(id);
    expect(skill.frontmatter.tags).toEqual((skill.extra.keywords as string[]).map((k) => k.trim()));
    expect(skill.frontmatter.tags.length).toBeGreaterThan(3);
    expect(skill.warnings).toEqual([]);
  });
});

describe("errors on the user's own lines", () => {
  const fixture = (unit: string) => readFileSync(join(ROOT, unit), 'utf8');

  it("in an original's file, at the line of the bad field", () => {
    const source = fixture('original/quantum-vqe-node.md').replace('    type: number\n', '    type: float\n');
    const r = readSkill(source, { file: 'quantum-vqe-node.md' });
    expect(r.ok ? [] : r.error.map(formatSkillError)).toEqual([
      expect.stringMatching(/^quantum-vqe-node\.md:20: inputs\.1\.type: Invalid option/),
    ]);
    expect(source.split('\n')[19]).toBe('    type: float');
  });

  it('in an Agent Skills file, at the line of its own fields, not of a rebuilt frontmatter', () => {
    const source = fixture('agent/chart-maker/SKILL.md').replace('license: Apache-2.0\n', 'license: Apache-2.0\nskill_id: "../x"\n');
    const r = readSkill(source, { file: 'chart-maker/SKILL.md' });
    expect(r.ok ? [] : r.error.map((e) => [e.line, e.field])).toEqual([[5, 'skill_id']]);
  });

  it('for a field kept under metadata by an export, at its metadata key', () => {
    const md = ['---', 'name: demo', 'description: A demo.', 'metadata:', '  llmunix-type: python', '  llmunix-inputs: \'[{"name":"x","type":"float"}]\'', '---', '', '## Code', '```python', 'x = 1', '```', ''].join('\n');
    const r = readSkill(md, { file: 'demo/SKILL.md' });
    expect(r.ok ? [] : r.error.map((e) => [e.line, e.field, e.message.split(':')[0]])).toEqual([[6, 'metadata.llmunix-inputs', 'inputs.0.type']]);
  });

  it('"## Code" missing from a typed file, at the body\'s first line', () => {
    const source = fixture('original/voltage-divider.md').replace('## Code', '## Netlist');
    const r = readSkill(source, { file: 'voltage-divider.md' });
    expect(r.ok ? [] : r.error.map((e) => e.line)).toEqual([source.split('\n').indexOf('---', 1) + 2]);
  });
});
