/*
 * The trash of a volume index (trash.ts): deleting moves a listing or a skill into the trash in
 * one transaction, restoring puts it back whole, and readers ignore what another client may have
 * written under a trash key that is not an entry.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readSkillFiles, getSkillOrigin, writeSkillFiles, putSkillOrigin } from '../src/documents/skill-files';
import {
  forgetTrashEntry,
  getTrashEntry,
  listTrash,
  restoreFromTrash,
  skillTrashOf,
  subjectOfTrashId,
  trashEntryOf,
  trashIdOf,
  trashSession,
  trashSkill,
  trashWorkflow,
} from '../src/documents/trash';
import {
  getSessionListing,
  getSkillSource,
  getWorkflowListing,
  listSessions,
  listWorkflows,
  putSessionListing,
  putSkillSource,
  putWorkflowListing,
  SKILL_ROOTS,
} from '../src/documents/volume-index';

const alice = { volume: 'user', volumeId: 'alice' } as const;
const lab = { volume: 'team', volumeId: 'lab' } as const;
const stamp = (at: string, by = 'alice') => ({ at, by });

const SKILL = `---
name: Square It
skill_id: square
type: javascript
description: squares
inputs: [{ name: x, type: number }]
outputs: [{ name: y, type: number }]
---

## Code

\`\`\`javascript
function execute(inputs) { return { y: inputs.x * inputs.x }; }
\`\`\`
`;

function indexWithItems(): Y.Doc {
  const doc = new Y.Doc();
  putWorkflowListing(doc, 'w1', { name: 'Filter chain', description: 'three filters', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' });
  putWorkflowListing(doc, 'w2', { name: 'Other', description: '', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });
  putSessionListing(doc, 's1', { name: 'Chat', status: 'paused', created_at: '2026-01-03T00:00:00.000Z', updated_at: '2026-01-04T00:00:00.000Z' });
  putSkillSource(doc, 'square', SKILL);
  writeSkillFiles(doc, 'square', [
    { path: 'scripts/run.py', bytes: new TextEncoder().encode('print(1)\n') },
    { path: 'assets/logo.png', bytes: new Uint8Array([0, 255, 137, 80, 78, 71]) },
  ]);
  putSkillOrigin(doc, 'square', 'square/SKILL.md');
  return doc;
}

describe('trash ids', () => {
  it('are the subject name with "/" made ".", and read back to the subject', () => {
    expect(trashIdOf('user/alice/workflow/w1')).toBe('user.alice.workflow.w1');
    expect(subjectOfTrashId('user.alice.workflow.w1')).toBe('user/alice/workflow/w1');
    expect(subjectOfTrashId('team.lab.skill.square')).toBe('team/lab/skill/square');
    expect(subjectOfTrashId('team.lab.session.s-1')).toBe('team/lab/session/s-1');
    for (const bad of ['', 'user.alice', 'user.alice.workflow', 'user.alice.notes.x', 'user..workflow.x', 'user/alice/workflow/w1', 'other.x.workflow.w', 'x'.repeat(500)]) {
      expect(subjectOfTrashId(bad), bad).toBeNull();
    }
  });
});

describe('trashing and restoring', () => {
  it('moves a workflow listing into the trash, with who and when, and restores it as it was', () => {
    const doc = indexWithItems();
    const before = getWorkflowListing(doc, 'w1');
    const trashed = trashWorkflow(doc, alice, 'w1', stamp('2026-02-01T10:00:00.000Z'));
    expect(trashed).toEqual({
      ok: true,
      value: {
        id: 'user.alice.workflow.w1',
        kind: 'workflow',
        item_id: 'w1',
        room: 'user/alice/workflow/w1',
        name: 'Filter chain',
        deleted_at: '2026-02-01T10:00:00.000Z',
        deleted_by: 'alice',
        listing: before,
      },
    });
    expect(getWorkflowListing(doc, 'w1')).toBeUndefined();
    expect(listWorkflows(doc).map((w) => w.id)).toEqual(['w2']);
    expect(listTrash(doc, alice)).toEqual([trashed.ok && trashed.value]);
    expect(trashEntryOf(doc, alice, 'workflow', 'w1')?.deleted_by).toBe('alice');
    expect(trashEntryOf(doc, alice, 'session', 'w1')).toBeUndefined();

    const restored = restoreFromTrash(doc, alice, 'user.alice.workflow.w1');
    expect(restored.ok).toBe(true);
    expect(getWorkflowListing(doc, 'w1')).toEqual(before);
    expect(listTrash(doc, alice)).toEqual([]);
    expect(trashEntryOf(doc, alice, 'workflow', 'w1')).toBeUndefined();
  });

  it('moves a session listing into the trash and restores it with its status and times', () => {
    const doc = indexWithItems();
    const before = getSessionListing(doc, 's1');
    const trashed = trashSession(doc, lab, 's1', stamp('2026-02-01T10:00:00.000Z', 'bob'));
    expect(trashed.ok && trashed.value).toMatchObject({ id: 'team.lab.session.s1', kind: 'session', room: 'team/lab/session/s1', name: 'Chat', deleted_by: 'bob' });
    expect(listSessions(doc)).toEqual([]);
    expect(restoreFromTrash(doc, lab, 'team.lab.session.s1').ok).toBe(true);
    expect(getSessionListing(doc, 's1')).toEqual(before);
  });

  it('moves a skill with its files and origin into skillTrash (a skill root) and restores them byte for byte', () => {
    const doc = indexWithItems();
    const files = readSkillFiles(doc, 'square');
    const trashed = trashSkill(doc, lab, 'square', stamp('2026-02-01T10:00:00.000Z'), 'Square It');
    expect(trashed.ok && trashed.value).toMatchObject({
      id: 'team.lab.skill.square',
      kind: 'skill',
      room: 'team/lab/skill/square',
      name: 'Square It',
      markdown: SKILL,
      files: { 'scripts/run.py': 'cHJpbnQoMSkK', 'assets/logo.png': 'AP+JUE5H' },
      origin: 'square/SKILL.md',
    });
    expect(getSkillSource(doc, 'square')).toBeUndefined();
    expect(readSkillFiles(doc, 'square')).toEqual([]);
    expect(getSkillOrigin(doc, 'square')).toBeUndefined();
    expect(skillTrashOf(doc).has('team.lab.skill.square')).toBe(true);
    expect(doc.getMap('trash').size).toBe(0);
    expect(SKILL_ROOTS).toContain('skillTrash');

    expect(restoreFromTrash(doc, lab, 'team.lab.skill.square').ok).toBe(true);
    expect(getSkillSource(doc, 'square')).toBe(SKILL);
    expect(readSkillFiles(doc, 'square')).toEqual(files);
    expect(getSkillOrigin(doc, 'square')).toBe('square/SKILL.md');
    expect(skillTrashOf(doc).size).toBe(0);
  });

  it('names a skill that does not validate by its id, and trashes it all the same', () => {
    const doc = new Y.Doc();
    putSkillSource(doc, 'broken', 'no frontmatter here');
    const trashed = trashSkill(doc, alice, 'broken', stamp('2026-02-01T10:00:00.000Z'));
    expect(trashed.ok && trashed.value).toMatchObject({ name: 'broken', markdown: 'no frontmatter here', files: {} });
    expect(trashed.ok && 'origin' in trashed.value).toBe(false);
  });

  it('refuses to restore when the id is in use again, and keeps the entry', () => {
    const doc = indexWithItems();
    trashWorkflow(doc, alice, 'w1', stamp('2026-02-01T10:00:00.000Z'));
    putWorkflowListing(doc, 'w1', { name: 'A new one', description: '', created_at: '2026-02-02T00:00:00.000Z', updated_at: '2026-02-02T00:00:00.000Z' });
    const refused = restoreFromTrash(doc, alice, 'user.alice.workflow.w1');
    expect(refused).toMatchObject({ ok: false, error: { code: 'in_use' } });
    expect(!refused.ok && refused.error.message).toMatch(/workflow with id "w1" exists again.*"Filter chain"/);
    expect(getWorkflowListing(doc, 'w1')?.name).toBe('A new one');
    expect(getTrashEntry(doc, alice, 'user.alice.workflow.w1')).toBeDefined();

    trashSkill(doc, alice, 'square', stamp('2026-02-01T10:00:00.000Z'));
    putSkillSource(doc, 'square', SKILL);
    expect(restoreFromTrash(doc, alice, 'user.alice.skill.square')).toMatchObject({ ok: false, error: { code: 'in_use' } });
  });

  it('says what is missing: an item not in the volume, an id not in the trash', () => {
    const doc = indexWithItems();
    expect(trashWorkflow(doc, alice, 'nope', stamp('2026-02-01T10:00:00.000Z'))).toMatchObject({ ok: false, error: { code: 'not_found', message: 'No workflow "nope" in this volume.' } });
    expect(trashSession(doc, alice, 'w1', stamp('2026-02-01T10:00:00.000Z'))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(trashSkill(doc, alice, 'nope', stamp('2026-02-01T10:00:00.000Z'))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(restoreFromTrash(doc, alice, 'user.alice.workflow.w1')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(doc.getMap('trash').size).toBe(0);
  });

  it('lists the most recently deleted first; forgetting drops an entry without restoring it', () => {
    const doc = indexWithItems();
    trashWorkflow(doc, alice, 'w1', stamp('2026-02-01T10:00:00.000Z'));
    trashSkill(doc, alice, 'square', stamp('2026-02-03T10:00:00.000Z'));
    trashSession(doc, alice, 's1', stamp('2026-02-02T10:00:00.000Z'));
    expect(listTrash(doc, alice).map((e) => e.id)).toEqual(['user.alice.skill.square', 'user.alice.session.s1', 'user.alice.workflow.w1']);
    expect(forgetTrashEntry(doc, 'user.alice.skill.square')).toBe(true);
    expect(forgetTrashEntry(doc, 'user.alice.skill.square')).toBe(false);
    expect(forgetTrashEntry(doc, 'user.alice.workflow.w1')).toBe(true);
    expect(listTrash(doc, alice).map((e) => e.id)).toEqual(['user.alice.session.s1']);
    expect(getSkillSource(doc, 'square')).toBeUndefined();
  });

  it('ignores what is not a whole entry under a trash key', () => {
    const doc = new Y.Doc();
    const trash = doc.getMap('trash');
    trash.set('user.alice.workflow.a', 'just a string');
    trash.set('user.alice.workflow.b', { kind: 'workflow', item_id: 'b', room: 'user/alice/workflow/b', name: 7, deleted_at: 'x', deleted_by: 'y' });
    trash.set('user.alice.workflow.c', { kind: 'script', item_id: 'c', room: 'user/alice/workflow/c', name: 'c', deleted_at: 'x', deleted_by: 'y' });
    // An entry filed under another item's id.
    trash.set('user.alice.workflow.d', { kind: 'workflow', item_id: 'e', room: 'user/alice/workflow/e', name: 'e', deleted_at: 'x', deleted_by: 'y' });
    trash.set('user.alice.workflow.f', { kind: 'workflow', item_id: 'f', room: 'user/alice/workflow/f', name: 'f', deleted_at: 'x', deleted_by: 'y', listing: 'no' });
    expect(listTrash(doc, alice).map((e) => e.id)).toEqual(['user.alice.workflow.f']);
    expect(listTrash(doc, alice)[0]).not.toHaveProperty('listing');
    expect(restoreFromTrash(doc, alice, 'user.alice.workflow.d')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Restored from what the entry has: its name, its deletion time.
    expect(restoreFromTrash(doc, alice, 'user.alice.workflow.f').ok).toBe(true);
    expect(getWorkflowListing(doc, 'f')).toEqual({ id: 'f', name: 'f', description: '', created_at: 'x', updated_at: 'x' });
  });
});

describe('the trash as a shared document', () => {
  it('a delete reaches a peer whole, and undo (tracking the origin) takes it back as one step', () => {
    const a = indexWithItems();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const local = Symbol('local');
    const undo = new Y.UndoManager([a.getMap('workflows'), a.getMap('sessions'), a.getMap('trash'), a.getMap('skills'), a.getMap('skillFiles'), a.getMap('skillOrigins'), skillTrashOf(a)], {
      trackedOrigins: new Set([local]),
      captureTimeout: 0,
    });
    const updates: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => updates.push(u));
    a.transact(() => trashWorkflow(a, alice, 'w1', stamp('2026-02-01T10:00:00.000Z')), local);
    expect(updates).toHaveLength(1);
    Y.applyUpdate(b, updates[0]!);
    expect(getWorkflowListing(b, 'w1')).toBeUndefined();
    expect(trashEntryOf(b, alice, 'workflow', 'w1')?.name).toBe('Filter chain');

    a.transact(() => trashSkill(a, alice, 'square', stamp('2026-02-01T10:00:00.000Z')), local);
    undo.undo();
    expect(getSkillSource(a, 'square')).toBe(SKILL);
    expect(readSkillFiles(a, 'square')).toHaveLength(2);
    expect(skillTrashOf(a).size).toBe(0);
    undo.undo();
    expect(getWorkflowListing(a, 'w1')?.name).toBe('Filter chain');
    expect(listTrash(a, alice)).toEqual([]);
  });
});
