import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSkillOrigin, readSkillFiles, writeSkillFiles, putSkillOrigin } from '../../shared/src/documents/skill-files';
import { getSkillSource, putSkillSource } from '../../shared/src/documents/volume-index';
import { parseSkill } from '../../shared/src/skill/parse';
import { buildSkillMarkdown } from '../../shared/src/skill/serialize';
import { applySave, carriedFolder, freeSkillId, planSave, skillFileName } from '../src/panels/skill-save';
import { skillTemplate } from '../src/panels/skill-tools';

describe('planSave', () => {
  const own = new Set(['mine', 'other']);

  it('saves an edited skill in place', () => {
    expect(planSave('mine', 'mine', own)).toEqual({ target: 'mine', overwrites: false, removes: null });
  });

  it('saves a new skill under its frontmatter id, asking first when that id is taken', () => {
    expect(planSave(null, 'fresh', own)).toEqual({ target: 'fresh', overwrites: false, removes: null });
    expect(planSave(null, 'mine', own)).toEqual({ target: 'mine', overwrites: true, removes: null });
  });

  it('moves a skill whose skill_id changed, asking first when the new id is taken', () => {
    expect(planSave('mine', 'renamed', own)).toEqual({ target: 'renamed', overwrites: false, removes: 'mine' });
    expect(planSave('mine', 'other', own)).toEqual({ target: 'other', overwrites: true, removes: 'mine' });
  });
});

describe('freeSkillId', () => {
  it('adds the first free number', () => {
    expect(freeSkillId('my-skill', new Set())).toBe('my-skill');
    expect(freeSkillId('my-skill', new Set(['my-skill', 'my-skill-2']))).toBe('my-skill-3');
  });
});

describe('skillTemplate', () => {
  it('is a valid skill with the id given, typed inputs and outputs and a Python code block', () => {
    const source = skillTemplate(buildSkillMarkdown, 'my-skill-2');
    const parsed = parseSkill(source, skillFileName('user', 'default', 'my-skill-2'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.frontmatter).toMatchObject({ skill_id: 'my-skill-2', type: 'python', inputs: [{ name: 'x', type: 'number' }], outputs: [{ name: 'doubled', type: 'number' }] });
    expect(parsed.value.code).toContain('def execute(inputs)');
  });
});

describe('applySave', () => {
  const logo = { path: 'assets/logo.png', bytes: new Uint8Array([137, 80, 78, 71]) };
  const imported = () => {
    const doc = new Y.Doc();
    putSkillSource(doc, 'pdf', '---\nname: pdf\ndescription: Reads PDFs.\n---\n');
    writeSkillFiles(doc, 'pdf', [logo]);
    putSkillOrigin(doc, 'pdf', 'pdf/SKILL.md');
    return doc;
  };

  it('saves in place, leaving the files as they are', () => {
    const doc = imported();
    applySave(doc, planSave('pdf', 'pdf', new Set(['pdf'])), 'edited');
    expect(getSkillSource(doc, 'pdf')).toBe('edited');
    expect(readSkillFiles(doc, 'pdf')).toEqual([logo]);
  });

  it('moves the files and origin of a skill whose skill_id changed', () => {
    const doc = imported();
    applySave(doc, planSave('pdf', 'pdf-reader', new Set(['pdf'])), 'renamed');
    expect(getSkillSource(doc, 'pdf')).toBeUndefined();
    expect(readSkillFiles(doc, 'pdf')).toEqual([]);
    expect(getSkillSource(doc, 'pdf-reader')).toBe('renamed');
    expect(readSkillFiles(doc, 'pdf-reader')).toEqual([logo]);
    expect(getSkillOrigin(doc, 'pdf-reader')).toBe('pdf/SKILL.md');
  });

  it('gives a copy of someone else’s skill its files and origin', () => {
    const team = imported();
    const mine = new Y.Doc();
    applySave(mine, planSave(null, 'pdf', new Set()), 'copied', carriedFolder(team, 'pdf'));
    expect(getSkillSource(mine, 'pdf')).toBe('copied');
    expect(readSkillFiles(mine, 'pdf')).toEqual([logo]);
    expect(getSkillOrigin(mine, 'pdf')).toBe('pdf/SKILL.md');
    applySave(mine, planSave(null, 'made-here', new Set(['pdf'])), 'new', carriedFolder(mine, 'nothing'));
    expect(readSkillFiles(mine, 'made-here')).toEqual([]);
    expect(getSkillOrigin(mine, 'made-here')).toBeUndefined();
  });

  it('replaces a skill whole: a new skill saved over an imported one leaves none of its files', () => {
    const doc = imported();
    applySave(doc, planSave(null, 'pdf', new Set(['pdf'])), 'replacement');
    expect(getSkillSource(doc, 'pdf')).toBe('replacement');
    expect(readSkillFiles(doc, 'pdf')).toEqual([]);
    expect(getSkillOrigin(doc, 'pdf')).toBeUndefined();
  });
});
