import type { WorkflowContent, WorkflowGraph, WorkflowNote } from '../../../shared/src/documents/workflow';

/**
 * Copies a graph (and its notes) with every node, edge and note given a fresh id, edges following
 * their nodes, so the copy can go anywhere (a duplicate, an imported file) without colliding with
 * existing ids. Edges whose ends are not in the graph are left out.
 */
export function withFreshIds(graph: WorkflowGraph & { notes?: WorkflowNote[] }, newId: () => string = () => crypto.randomUUID()): WorkflowContent {
  const ids = new Map<string, string>();
  const nodes = graph.nodes.map((node) => {
    const id = newId();
    ids.set(node.id, id);
    return { ...node, id, position: { ...node.position }, inputs: structuredClone(node.inputs) };
  });
  const edges = graph.edges.flatMap((edge) => {
    const source = ids.get(edge.source);
    const target = ids.get(edge.target);
    return source && target ? [{ ...edge, id: newId(), source, target }] : [];
  });
  const notes = (graph.notes ?? []).map((note) => ({ ...note, id: newId(), position: { ...note.position }, size: { ...note.size } }));
  return { nodes, edges, notes };
}

/** The name a duplicate gets. */
export const copyName = (name: string): string => `${name.trim() || 'Untitled workflow'} (copy)`;

/** The name of a workflow's export file: its name, made safe for every file system. */
export function exportFileName(name: string): string {
  // Characters Windows, macOS or Linux refuse in file names, and control characters.
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').replace(/^[\s.]+|[\s.]+$/g, '');
  return `${safe || 'workflow'}.llmunix-workflow.json`;
}

/** The name of a workflow imported from a file: the one inside it, or else the file's own name. */
export function importedName(nameInFile: string, fileName: string): string {
  const fromFile = fileName.replace(/(\.llmunix-workflow)?\.json$/i, '').trim();
  return nameInFile.trim() || fromFile || 'Imported workflow';
}
