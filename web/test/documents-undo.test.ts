// Undo of a restore takes back all of it: for a workflow every root the restore writes (its
// name and a compound draft too, not only the graph), for a skill its files as well as its text.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeSkillFiles } from '../../shared/src/documents/skill-files';
import { putSkillSource, skillsOf } from '../../shared/src/documents/volume-index';
import { putNode, readWorkflowMeta, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { skillContentOf } from '../../shared/src/history/content';
import { restoreRoom, restoreSkill } from '../../shared/src/history/restore';
import { ORIGIN } from '../../shared/src/origins';
import { workflowUndo } from '../src/documents/undo';
import { skillRestoreOrigin, skillUndo } from '../src/editor/skill-undo';

const node = (id: string) => ({ id, skillId: `skill-${id}`, label: id, position: { x: 0, y: 0 }, inputs: {} });
const bytes = (text: string) => new TextEncoder().encode(text);

describe('workflow undo', () => {
  it('takes back a whole restore: nodes, the name and the compound draft', () => {
    const version = new Y.Doc();
    writeWorkflowMeta(version, { name: 'Study A', description: 'first' });
    putNode(version, node('a'));
    version.getMap('compound').set('skillId', 'drafted');

    const live = new Y.Doc();
    writeWorkflowMeta(live, { name: 'Study B', description: 'second' });
    putNode(live, node('a'));
    putNode(live, node('b'));
    const undo = workflowUndo(live);
    live.transact(() => restoreRoom(live, version, 'workflow'), ORIGIN.local);
    expect(readWorkflowMeta(live).name).toBe('Study A');
    expect(live.getMap('compound').get('skillId')).toBe('drafted');

    undo.undo();
    expect(readWorkflowMeta(live)).toMatchObject({ name: 'Study B', description: 'second' });
    expect([...live.getMap('nodes').keys()].sort()).toEqual(['a', 'b']);
    expect(live.getMap('compound').has('skillId')).toBe(false);
    expect(undo.undoStack.length).toBe(0);
  });

  it('leaves a collaborator’s rename alone', () => {
    const live = new Y.Doc();
    const undo = workflowUndo(live);
    live.transact(() => writeWorkflowMeta(live, { name: 'Theirs' }), {});
    expect(undo.undoStack.length).toBe(0);
  });
});

describe('skill undo', () => {
  const index = () => {
    const doc = new Y.Doc();
    putSkillSource(doc, 'halver', 'now\n');
    putSkillSource(doc, 'other', 'other\n');
    writeSkillFiles(doc, 'halver', [{ path: 'data/now.txt', bytes: bytes('now') }]);
    return doc;
  };

  it('takes back a restore’s files with its text', () => {
    const doc = index();
    const before = skillContentOf(doc, 'halver');
    const text = skillsOf(doc).get('halver') as Y.Text;
    const undo = skillUndo(text);
    const version = { markdown: 'then\n', files: { 'data/then.txt': btoa('then') } };
    doc.transact(() => restoreSkill(doc, 'halver', version), skillRestoreOrigin('halver'));
    expect(skillContentOf(doc, 'halver')).toEqual(version);

    undo.undo();
    expect(skillContentOf(doc, 'halver')).toEqual(before);
  });

  it('keeps another skill’s restore out of this skill’s undo', () => {
    const doc = index();
    const undo = skillUndo(skillsOf(doc).get('halver') as Y.Text);
    doc.transact(() => restoreSkill(doc, 'other', { markdown: 'changed\n', files: { 'x.txt': btoa('x') } }), skillRestoreOrigin('other'));
    expect(undo.undoStack.length).toBe(0);
  });
});
