import { useMemo, useState } from 'preact/hooks';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { checkConnection, type PortConnection } from '../../../shared/src/workflow/connection';
import type { SkillLookup } from '../../../shared/src/workflow/validate';
import { CanvasPicker } from './canvas-picker';

/**
 * Connecting without a mouse: the selected node's outputs, then every input of another node
 * that output may feed (types match, no cycle); Enter on one makes the edge.
 */
export function PortConnector(props: {
  at: { x: number; y: number };
  bounds: { width: number; height: number };
  graph: WorkflowGraph;
  lookup: SkillLookup;
  nodeId: string;
  onConnect(c: PortConnection): void;
  onClose(): void;
}) {
  const { graph, lookup, nodeId } = props;
  const [output, setOutput] = useState<string | null>(null);
  const node = graph.nodes.find((n) => n.id === nodeId);
  const outputs = (node && lookup(node.skillId)?.outputs) ?? [];
  const targets = useMemo(() => {
    if (output === null) return [];
    return graph.nodes.flatMap((n) =>
      (lookup(n.skillId)?.inputs ?? []).flatMap((p) => {
        const c: PortConnection = { source: nodeId, sourceHandle: output, target: n.id, targetHandle: p.name };
        const check = checkConnection(graph, c, lookup);
        if (!check.ok) return [];
        return [{ c, label: `${n.label || n.skillId} · ${p.name}`, detail: `${p.type}${check.replaces ? ' · rewires' : ''}` }];
      }),
    );
  }, [graph, lookup, nodeId, output]);
  const name = node?.label || node?.skillId || nodeId;

  if (output === null) {
    return (
      <CanvasPicker
        key="output"
        at={props.at}
        bounds={props.bounds}
        heading={`Connect an output of ${name}`}
        items={outputs.map((p) => ({ key: p.name, label: p.name, detail: p.type, title: p.description }))}
        empty="This node has no outputs."
        onPick={(i) => setOutput(outputs[i]?.name ?? null)}
        onClose={props.onClose}
        testId="connect-output"
      />
    );
  }
  return (
    <CanvasPicker
      key="input"
      at={props.at}
      bounds={props.bounds}
      heading={`Feed ${name} · ${output} into`}
      items={targets.map((t) => ({ key: `${t.c.target}\u0000${t.c.targetHandle ?? ''}`, label: t.label, detail: t.detail }))}
      empty="No input of another node takes this output."
      onPick={(i) => {
        const t = targets[i];
        if (t) props.onConnect(t.c);
      }}
      onClose={props.onClose}
      testId="connect-input"
    />
  );
}
