// The draft an open compound is edited in (web/src/compound/compound-draft.ts): seeded from the
// skill, kept while it holds changes (even when the skill is saved elsewhere meanwhile), followed
// when it holds none, marked saved after a save, and started afresh when dropped.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { moveNode, readWorkflowGraph, readWorkflowMeta } from '../../shared/src/documents/workflow';
import { buildCompoundMarkdown } from '../../shared/src/skill/compound';
import { formatSkillError, readSkill, type CompoundSkill } from '../../shared/src/skill/parse';
import { H2_COMPOUND } from '../../shared/test/compound-fixture';
import { draftChanged, dropDraft, markDraftSaved, prepareDraft, readDraft, setDraftPorts } from '../src/compound/compound-draft';

function compound(source: string): CompoundSkill {
  const read = readSkill(source, { file: 'x.md' });
  if (!read.ok) throw new Error(read.error.map(formatSkillError).join('\n'));
  if (read.value.kind !== 'compound') throw new Error(`read as ${read.value.kind}`);
  return read.value;
}

const V1 = buildCompoundMarkdown(H2_COMPOUND);
const V2 = buildCompoundMarkdown({ ...H2_COMPOUND, version: '1.0.1', inside: { ...H2_COMPOUND.inside, nodes: H2_COMPOUND.inside.nodes.map((n) => ({ ...n, position: { x: n.position.x, y: 99 } })) } });

describe('the draft of an open compound', () => {
  it('is seeded from the skill, with its name, nodes and ports, and no changes', () => {
    const doc = new Y.Doc();
    prepareDraft(doc, compound(V1), V1);
    expect(readWorkflowMeta(doc).name).toBe(H2_COMPOUND.name);
    expect(readWorkflowGraph(doc).nodes.map((n) => n.id).sort()).toEqual(['ham', 'vqe']);
    expect(readDraft(doc)?.ports.inputs.map((i) => [i.port.name, i.origin])).toEqual([['bond_length', 'bond_length']]);
    expect(draftChanged(doc)).toBe(false);
  });

  it('keeps unsaved changes when opened again, even after the skill was saved elsewhere; follows the skill when it has none', () => {
    const doc = new Y.Doc();
    prepareDraft(doc, compound(V1), V1);
    moveNode(doc, 'ham', { x: 5, y: 5 });
    expect(draftChanged(doc)).toBe(true);
    prepareDraft(doc, compound(V2), V2);
    expect(readWorkflowGraph(doc).nodes.find((n) => n.id === 'ham')?.position).toEqual({ x: 5, y: 5 });
    expect(readDraft(doc)?.base).toBe(V1);

    const clean = new Y.Doc();
    prepareDraft(clean, compound(V1), V1);
    prepareDraft(clean, compound(V2), V2);
    expect(readWorkflowGraph(clean).nodes.find((n) => n.id === 'ham')?.position).toEqual({ x: 0, y: 99 });
    expect(readDraft(clean)?.base).toBe(V2);
  });

  it('a port edit is a change; a save makes the new names the ports’ origins; a dropped draft starts afresh', () => {
    const doc = new Y.Doc();
    prepareDraft(doc, compound(V1), V1);
    const ports = readDraft(doc)!.ports;
    setDraftPorts(doc, { ...ports, outputs: ports.outputs.map((o) => ({ ...o, port: { ...o.port, name: 'e' } })) });
    expect(draftChanged(doc)).toBe(true);
    markDraftSaved(doc, 'saved text');
    expect(draftChanged(doc)).toBe(false);
    expect(readDraft(doc)?.ports.outputs.map((o) => [o.port.name, o.origin])).toEqual([['e', 'e']]);
    dropDraft(doc);
    expect(readDraft(doc)).toBeUndefined();
    prepareDraft(doc, compound(V1), V1);
    expect(readDraft(doc)?.ports.outputs.map((o) => o.port.name)).toEqual(['energy']);
  });
});
