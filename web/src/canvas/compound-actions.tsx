import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import type * as Y from 'yjs';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { ORIGIN } from '../../../shared/src/origins';
import type { Catalog } from '../documents/catalog';
import { unpackNode } from './unpack';

// The dialog (and the skill format it writes with, with its schema library) loads when opened.
const MakeSkillDialog = lazy(() => import('./make-skill-dialog').then((m) => ({ default: m.MakeSkillDialog })));

/** What the canvas lends to Make skill and Unpack. */
export interface CompoundActionDeps {
  doc: Y.Doc | undefined;
  catalog: Catalog;
  graph: WorkflowGraph;
  /** The canvas's selection (notes included, which are left out). */
  selected: ReadonlySet<string>;
  readOnly: boolean;
  undo: { stopCapturing(): void } | null;
  select(ids: string[]): void;
  notify(message: string): void;
  refocus(): void;
}

/**
 * Make skill (the selected nodes become one node of a new compound skill) and Unpack (a compound
 * node becomes its inner nodes again), each one undo step: what starts them from the keyboard,
 * their toolbar buttons, and the Make skill dialog while it is open.
 */
export function useCompoundActions(deps: CompoundActionDeps) {
  const { doc, catalog, graph, selected, readOnly, undo, select, notify, refocus } = deps;
  const [making, setMaking] = useState<string[] | null>(null);
  const nodes = graph.nodes.filter((n) => selected.has(n.id));
  const single = nodes.length === 1 && catalog.compound(nodes[0]!.skillId) ? nodes[0] : undefined;

  const makeSkill = (): boolean => {
    if (readOnly || nodes.length === 0) return false;
    setMaking(nodes.map((n) => n.id));
    return true;
  };
  const unpack = (): boolean => {
    if (readOnly || !doc || !single) return false;
    const result = unpackNode(doc, single.id, catalog, ORIGIN.local, undo ?? undefined);
    if (result.ok) select(result.value);
    else notify(`Not unpacked: ${result.error}`);
    // The node that had the keyboard is gone: the canvas takes it back, so Ctrl+Z works at once.
    refocus();
    return true;
  };

  const toolbar = readOnly ? null : (
    <>
      {nodes.length > 0 && (
        <button type="button" onClick={makeSkill} data-testid="make-skill" title="Make a skill of the selected nodes: they become one node of it (Ctrl+G)">
          Make skill
        </button>
      )}
      {single && (
        <button type="button" onClick={unpack} data-testid="unpack" title="Put this compound skill's inner nodes in place of its node (Ctrl+Shift+G)">
          Unpack
        </button>
      )}
    </>
  );
  const close = () => {
    setMaking(null);
    refocus();
  };
  const dialog = making && doc && (
    <Suspense fallback={null}>
      <MakeSkillDialog
        doc={doc}
        nodes={making}
        catalog={catalog}
        undo={undo}
        onClose={close}
        onMade={(nodeId) => {
          close();
          select([nodeId]);
        }}
      />
    </Suspense>
  );
  return { makeSkill, unpack, toolbar, dialog, open: making !== null };
}
