import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import type { EditedInput, EditedOutput, EditedPorts, InnerPort } from '../../../shared/src/skill/compound-edit';
import type { InputPort, OutputPort } from '../../../shared/src/skill/schema';
import type { SkillLookup } from '../../../shared/src/workflow/validate';

/** Which side of a compound's ports an edit is on. */
export type Side = 'inputs' | 'outputs';

type Edited<S extends Side> = S extends 'inputs' ? EditedInput : EditedOutput;

const withSide = <S extends Side>(ports: EditedPorts, side: S, list: Array<Edited<S>>): EditedPorts => ({ ...ports, [side]: list });

/** Gives a port a new name; a save rewires the edges of every instance in the open workflow. */
export function renamePort(ports: EditedPorts, side: Side, index: number, name: string): EditedPorts {
  const list = ports[side].map((p, i) => (i === index ? { ...p, port: { ...p.port, name } } : p));
  return withSide(ports, side, list as Array<Edited<typeof side>>);
}

/** Moves a port up (-1) or down (+1): its handle's place on every instance. */
export function movePort(ports: EditedPorts, side: Side, index: number, by: -1 | 1): EditedPorts {
  const list = [...ports[side]];
  const to = index + by;
  if (to < 0 || to >= list.length) return ports;
  [list[index], list[to]] = [list[to] as (typeof list)[number], list[index] as (typeof list)[number]];
  return withSide(ports, side, list as Array<Edited<typeof side>>);
}

/** Stops exposing a port; edges to it on instances show as unknown ports until removed. */
export function unexposePort(ports: EditedPorts, side: Side, index: number): EditedPorts {
  return withSide(ports, side, ports[side].filter((_, i) => i !== index) as Array<Edited<typeof side>>);
}

const freeName = (wanted: string, taken: ReadonlySet<string>): string => {
  if (!taken.has(wanted)) return wanted;
  let n = 2;
  while (taken.has(`${wanted}_${n}`)) n++;
  return `${wanted}_${n}`;
};

/** An inner port that can become a compound port, with what the new port starts as. */
export interface Exposable {
  at: InnerPort;
  /** `node label › port`, as the panel lists it. */
  title: string;
  port: InputPort | OutputPort;
}

/**
 * The inner ports not exposed yet: inputs that no inner edge feeds (an inner literal becomes the
 * new input's default: promotion), and every output not already a compound output.
 */
export function exposable(graph: WorkflowGraph, ports: EditedPorts, lookup: SkillLookup, side: Side): Exposable[] {
  const wired = new Set(graph.edges.map((e) => `${e.target}\u0000${e.targetHandle}`));
  const mapped = new Set(
    side === 'inputs' ? ports.inputs.flatMap((i) => i.targets.map((t) => `${t.node}\u0000${t.port}`)) : ports.outputs.map((o) => `${o.from.node}\u0000${o.from.port}`),
  );
  return graph.nodes.flatMap((node) => {
    const skill = lookup(node.skillId);
    if (!skill) return [];
    const title = (port: string) => `${node.label || skill.name} › ${port}`;
    if (side === 'outputs') {
      return skill.outputs.filter((p) => !mapped.has(`${node.id}\u0000${p.name}`)).map((p) => ({ at: { node: node.id, port: p.name }, title: title(p.name), port: p }));
    }
    return skill.inputs
      .filter((p) => !mapped.has(`${node.id}\u0000${p.name}`) && !wired.has(`${node.id}\u0000${p.name}`))
      .map((p) => {
        const literal = node.inputs[p.name];
        const port: InputPort = { name: p.name, type: p.type, ...(literal !== undefined ? { default: literal } : p.default !== undefined ? { default: p.default } : {}), ...(p.description ? { description: p.description } : {}) };
        return { at: { node: node.id, port: p.name }, title: title(p.name), port };
      });
  });
}

/** Exposes an inner port as a new compound port, named after it (made unique), at the end. */
export function exposePort(ports: EditedPorts, side: Side, chosen: Exposable): EditedPorts {
  const name = freeName(chosen.port.name, new Set(ports[side].map((p) => p.port.name)));
  if (side === 'inputs') return { ...ports, inputs: [...ports.inputs, { port: { ...(chosen.port as InputPort), name }, targets: [chosen.at] }] };
  return { ...ports, outputs: [...ports.outputs, { port: { name, type: chosen.port.type, ...(chosen.port.description ? { description: chosen.port.description } : {}) }, from: chosen.at }] };
}
