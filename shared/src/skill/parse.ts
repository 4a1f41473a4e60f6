import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { err, ok, type Result } from '../result';
import { findCodeSection, findSection, type CodeSection } from './code-block';
import { readCompoundCode, type CompoundInside } from './compound';
import { agentFieldWarnings, extraFields, keywordsOf, ourFields, unknownFieldWarnings, type OurFields } from './foreign-fields';
import { splitSkillText, type SplitSkillText } from './frontmatter';
import { FieldLocator } from './locate';
import {
  CODE_LANGUAGE,
  COMPOUND_TYPE,
  CompoundFrontmatterSchema,
  INSTRUCTION_TYPE,
  InstructionFrontmatterSchema,
  LANGUAGE_TYPE,
  SKILL_TYPES,
  SkillFrontmatterSchema,
  TYPE_ALIASES,
  type CodeLanguage,
  type CompoundFrontmatter,
  type InstructionFrontmatter,
  type SkillFrontmatter,
  type SkillType,
} from './schema';
import { skillIdFrom, skillIdOfFile } from './skill-id';

/** One problem in a skill file, located precisely enough to fix it. */
export interface SkillError {
  file: string;
  /** 1-based line in the file. */
  line: number;
  /** Dotted path of the frontmatter field, e.g. `inputs.0.type`; absent for body errors. */
  field?: string;
  message: string;
}

/** Something tolerated in a skill file (the file is kept as written), located like an error. */
export type SkillWarning = SkillError;

interface SkillCommon {
  file: string;
  /** Everything after the frontmatter, with line ends made `\n`. */
  body: string;
  /** Fields that are not LLMunix's own (`license`, `metadata`, `author`, `keywords`…), as written. */
  extra: Record<string, unknown>;
  warnings: SkillWarning[];
}

/** A parsed, validated skill that runs. */
export interface Skill extends SkillCommon {
  kind: 'runnable';
  frontmatter: SkillFrontmatter;
  /** The contents of the `## Code` fenced block. */
  code: string;
  codeLanguage: CodeLanguage;
  /** 1-based file line of the code block's first line, for mapping tracebacks back. */
  codeLine: number;
  /** The `## Fallback` javascript block (run where the skill's own runtime is missing) and its first file line. */
  fallback?: { code: string; line: number };
}

/** A skill with nothing to run: kept, listed, searched, read by the chat and exported, never run. */
export interface InstructionSkill extends SkillCommon {
  kind: 'instruction';
  frontmatter: InstructionFrontmatter;
}

/** A skill whose code is a workflow: it runs as its inner nodes, expanded by the executor. */
export interface CompoundSkill extends SkillCommon {
  kind: 'compound';
  frontmatter: CompoundFrontmatter;
  /** The `## Code` block's inner nodes and edges, and its ports' mappings onto inner ports. */
  inside: CompoundInside;
  /** 1-based file line of the code block's first line. */
  codeLine: number;
}

/** Any skill a volume holds. */
export type ParsedSkill = Skill | InstructionSkill | CompoundSkill;

export interface ReadSkillOptions {
  /** How the file is named in errors; its folder (`x/SKILL.md`) or stem (`x.md`) gives a missing `skill_id`. */
  file?: string;
  /** The id to use when the file has no `skill_id` (its key in a volume, its folder's name). */
  skillId?: string;
}

/** Formats a skill error as `file:line: field: message`. */
export const formatSkillError = (e: SkillError): string => `${e.file}:${e.line}: ${e.field ? `${e.field}: ` : ''}${e.message}`;

// `compound` is offered too: a system skill is one, and compound skills travel in Agent Skills archives.
const TYPE_NAMES = [...SKILL_TYPES, ...Object.keys(TYPE_ALIASES), INSTRUCTION_TYPE, COMPOUND_TYPE].join(', ');

type Located = Omit<SkillError, 'file'>;

interface TypeDecision {
  type: SkillType | typeof INSTRUCTION_TYPE | typeof COMPOUND_TYPE;
  errors: Located[];
  warnings: Located[];
}

/** The skill's type from its `type` field (aliases of the original read as ours) and its code block. */
function decideType(raw: unknown, code: CodeSection, line: () => number, bodyLine: number): TypeDecision {
  const fenceLine = code.kind === 'block' || code.kind === 'unclosed' ? bodyLine + code.fenceLine + 1 : 0;
  if (raw === undefined) {
    if (code.kind !== 'block') return { type: INSTRUCTION_TYPE, errors: [], warnings: [] };
    if (code.language) return { type: LANGUAGE_TYPE[code.language], errors: [], warnings: [] };
    const message = `the "## Code" block is in "${code.lang || '(no language)'}", which LLMunix does not run; the skill is kept as an instruction skill`;
    return { type: INSTRUCTION_TYPE, errors: [], warnings: [{ line: fenceLine, message }] };
  }
  if (raw === INSTRUCTION_TYPE) return { type: INSTRUCTION_TYPE, errors: [], warnings: [] };
  if (raw === COMPOUND_TYPE) return { type: COMPOUND_TYPE, errors: [], warnings: [] };
  const named = typeof raw === 'string' ? ((SKILL_TYPES as readonly string[]).includes(raw) ? (raw as SkillType) : TYPE_ALIASES[raw]) : undefined;
  if (!named) {
    const message = `unknown type ${JSON.stringify(raw)}; use one of ${TYPE_NAMES}, or leave it out to take it from the code block`;
    return { type: 'python', errors: [{ line: line(), field: 'type', message }], warnings: [] };
  }
  if (raw === 'spice' && code.kind === 'block' && code.language && code.language !== 'spice') {
    const type = LANGUAGE_TYPE[code.language];
    const message = `type "spice" with a ${code.language} code block: the block's language decides, so it runs as ${type}`;
    return { type, errors: [], warnings: [{ line: line(), field: 'type', message }] };
  }
  return { type: named, errors: [], warnings: [] };
}

/** The code of a runnable skill, or the error that keeps it from running. */
function runnableCode(code: CodeSection, type: SkillType | typeof COMPOUND_TYPE, bodyLine: number): Result<{ code: string; codeLanguage: CodeLanguage | 'json'; codeLine: number }, Located> {
  const expected = type === COMPOUND_TYPE ? 'json' : CODE_LANGUAGE[type];
  switch (code.kind) {
    case 'none':
      return err({ line: bodyLine + 1, message: 'the body has no "## Code" section; add one with a fenced code block, or remove "type" to keep it as an instruction skill' });
    case 'no-fence':
      return err({ line: bodyLine + code.headingLine + 1, message: 'the "## Code" section has no fenced code block (```)' });
    case 'unclosed':
      return err({ line: bodyLine + code.fenceLine + 1, message: `the code block is never closed; add a line with ${code.marker}` });
    case 'block':
      if ((expected === 'json' ? code.lang : code.language) !== expected) {
        return err({
          line: bodyLine + code.fenceLine + 1,
          field: 'type',
          message: `the code block's language is "${code.lang || '(none)'}" but this skill's type needs "${expected}"`,
        });
      }
      return ok({ code: code.code, codeLanguage: expected, codeLine: bodyLine + code.fenceLine + 2 });
  }
}

/** The `## Fallback` block, if the body has one: JavaScript with `execute(inputs)`, as a javascript skill's code. */
function fallbackCode(body: string, bodyLine: number): Result<{ code: string; line: number } | undefined, Located> {
  const section = findSection(body, 'Fallback');
  switch (section.kind) {
    case 'none':
      return ok(undefined);
    case 'no-fence':
      return err({ line: bodyLine + section.headingLine + 1, message: 'the "## Fallback" section has no fenced code block (```javascript)' });
    case 'unclosed':
      return err({ line: bodyLine + section.fenceLine + 1, message: `the fallback block is never closed; add a line with ${section.marker}` });
    case 'block':
      if (section.language !== 'javascript') {
        return err({
          line: bodyLine + section.fenceLine + 1,
          message: `the "## Fallback" block's language is "${section.lang || '(none)'}"; a fallback is a javascript block with function execute(inputs)`,
        });
      }
      return ok({ code: section.code, line: bodyLine + section.fenceLine + 2 });
  }
}

function issuesToErrors(issues: z.core.$ZodIssue[], fields: OurFields, at: FieldLocator): Located[] {
  const out: Located[] = [];
  for (const issue of issues) {
    const [head, ...rest] = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const where = (head !== undefined && fields.paths.get(String(head))) || (head === undefined ? [] : [head]);
    const inMetadata = where[0] === 'metadata';
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const inner = [head, ...rest, ...(key === undefined ? [] : [key])].filter((p) => p !== undefined).join('.');
      const message = key === undefined ? issue.message : `unknown field "${key}"; remove it or check its spelling`;
      if (inMetadata) {
        out.push({ line: at.line(where), field: where.join('.'), message: `${inner}: ${message}` });
      } else {
        out.push({ line: at.line([...where, ...rest], key), field: inner || undefined, message });
      }
    }
  }
  return out;
}

const withFile = (file: string, list: Located[]): SkillError[] =>
  list.map((e) => ({ file, line: e.line, ...(e.field === undefined ? {} : { field: e.field }), message: e.message }));

const byLine = (list: Located[]): Located[] => list.map((e, i) => [e, i] as const).sort(([a, i], [b, j]) => a.line - b.line || i - j).map(([e]) => e);

function parseFrontmatter(split: SplitSkillText, file: string): Result<{ data: Record<string, unknown>; at: FieldLocator }, SkillError[]> {
  const counter = new LineCounter();
  const doc = parseDocument(split.yaml, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return err(doc.errors.map((e) => ({ file, line: counter.linePos(e.pos[0]).line + split.firstLine, message: `YAML: ${e.message.split('\n')[0] ?? e.message}` })));
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return err([{ file, line: split.firstLine + 1, message: 'the frontmatter must be a YAML mapping of fields' }]);
  }
  return ok({ data: data as Record<string, unknown>, at: new FieldLocator(doc, counter, split.firstLine) });
}

/**
 * Reads any skill file: LLMunix's and the original product's format (extra fields kept, its type
 * names and defaults) and Agent Skills `SKILL.md` files (LLMunix's fields under `metadata`, or
 * none). A file with no `## Code` block and no type is an instruction skill. Tolerated oddities
 * come back as warnings; every error has the file's own line and field.
 */
export function readSkill(source: string, options: ReadSkillOptions = {}): Result<ParsedSkill, SkillError[]> {
  const file = options.file ?? 'skill.md';
  const split = splitSkillText(source);
  if (!split) return err([{ file, line: 1, message: 'the file must start with YAML frontmatter between two "---" lines' }]);
  const parsed = parseFrontmatter(split, file);
  if (!parsed.ok) return parsed;
  const { data, at } = parsed.value;
  const fields = ourFields(data);
  const warnings: Located[] = [...split.warnings, ...unknownFieldWarnings(data, at)];
  const isAgentFile = /(^|[\\/])SKILL\.md$/.test(file);
  if (isAgentFile) warnings.push(...agentFieldWarnings(data, at, file.split(/[\\/]/).at(-2)));
  const keywords = keywordsOf(data, at, warnings);

  const code = findCodeSection(split.body);
  const decided = decideType(fields.values.type, code, () => at.line(fields.paths.get('type') ?? ['type']), split.bodyLine);
  warnings.push(...decided.warnings);
  const values: Record<string, unknown> = { ...fields.values, type: decided.type };
  // The original's writer leaves a field empty (`description:`) when it has no value.
  for (const [key, value] of Object.entries(fields.values)) {
    if (value !== null || key === 'type') continue;
    delete values[key];
    warnings.push({ line: at.line(fields.paths.get(key) ?? [key]), field: key, message: `"${key}" is empty; it is read as not given` });
  }
  if (values.skill_id === undefined) {
    const name = typeof values.name === 'string' ? values.name : '';
    values.skill_id = options.skillId ?? skillIdOfFile(file) ?? skillIdFrom(name);
  }
  const versionPath = fields.paths.get('version');
  if (typeof values.version === 'number' && versionPath) values.version = at.source(versionPath) ?? String(values.version);
  if (keywords.length > 0 && (values.tags === undefined || Array.isArray(values.tags))) {
    const tags = (values.tags ?? []) as unknown[];
    values.tags = [...tags, ...keywords.filter((k) => !tags.includes(k))];
  }

  const schema = decided.type === INSTRUCTION_TYPE ? InstructionFrontmatterSchema : decided.type === COMPOUND_TYPE ? CompoundFrontmatterSchema : SkillFrontmatterSchema;
  const checked = schema.safeParse(values);
  const errors = [...decided.errors, ...(checked.success ? [] : issuesToErrors(checked.error.issues, fields, at))];
  const common = { file, body: split.body, extra: extraFields(data), warnings: withFile(file, byLine(warnings)) };
  if (decided.type === INSTRUCTION_TYPE) {
    if (code.kind === 'unclosed') errors.push({ line: split.bodyLine + code.fenceLine + 1, message: `the code block is never closed; add a line with ${code.marker}` });
    if (errors.length > 0 || !checked.success) return err(withFile(file, byLine(errors)));
    return ok({ kind: 'instruction', frontmatter: checked.data as InstructionFrontmatter, ...common });
  }
  const runnable = runnableCode(code, decided.type, split.bodyLine);
  if (errors.length > 0 || !checked.success) return err(withFile(file, byLine(errors)));
  if (!runnable.ok) return err(withFile(file, [runnable.error]));
  if (decided.type === COMPOUND_TYPE) {
    const frontmatter = checked.data as CompoundFrontmatter;
    const inside = readCompoundCode(runnable.value.code, runnable.value.codeLine, frontmatter);
    if (!inside.ok) return err(withFile(file, inside.error));
    return ok({ kind: 'compound', frontmatter, ...common, inside: inside.value, codeLine: runnable.value.codeLine });
  }
  const fallback = fallbackCode(split.body, split.bodyLine);
  // Only webgpu skills run a fallback now: other files with a "## Fallback" section of their own are read as before.
  if (!fallback.ok && decided.type === 'webgpu') return err(withFile(file, [fallback.error]));
  const skill: Skill = { kind: 'runnable', frontmatter: checked.data as SkillFrontmatter, ...common, ...runnable.value, codeLanguage: runnable.value.codeLanguage as CodeLanguage };
  return ok(fallback.ok && fallback.value ? { ...skill, fallback: fallback.value } : skill);
}

/**
 * Parses a skill that runs (the executor's and the runtimes' view). Accepts everything
 * `readSkill` does; an instruction skill is refused, saying it has nothing to run.
 */
export function parseSkill(source: string, file = 'skill.md', options: Omit<ReadSkillOptions, 'file'> = {}): Result<Skill, SkillError[]> {
  const read = readSkill(source, { ...options, file });
  if (!read.ok || read.value.kind === 'runnable') return read as Result<Skill, SkillError[]>;
  const split = splitSkillText(source);
  if (read.value.kind === 'compound') {
    return err([{ file, line: read.value.codeLine, message: 'this is a compound skill: it runs as its inner nodes, which a workflow runs by expanding it, not as code of its own' }]);
  }
  return err([
    {
      file,
      line: (split?.bodyLine ?? 0) + 1,
      message: 'this is an instruction skill (no "## Code" section with a code block): it can be kept and read, not run; add a "## Code" section with a fenced block to make it runnable',
    },
  ]);
}
