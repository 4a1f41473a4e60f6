import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { readWorkflowGraph, type WorkflowGraph } from '../../../shared/src/documents/workflow';
import type { Json } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import { volumeRoom } from '../../../shared/src/rooms';
import type { CompoundInside } from '../../../shared/src/skill/compound';
import { skillIdFrom } from '../../../shared/src/skill/skill-id';
import { proposeCompound, type InnerLiteral, type SelectedPort } from '../../../shared/src/workflow/make-compound';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useRooms } from '../documents/hooks';
import { homeVolume } from '../documents/identity';
import { freeSkillId } from '../panels/skill-save';
import { makeSkill } from './make-skill';
import './make-skill.css';

const EMPTY: WorkflowGraph = { nodes: [], edges: [] };
const NAME_MAX = 100;

/** A name from the selection's skills, left to right, as the miner names its suggestions. */
function proposedName(graph: WorkflowGraph, nodes: readonly string[], catalog: Catalog): string {
  const names = graph.nodes
    .filter((n) => nodes.includes(n.id))
    .sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y)
    .map((n) => catalog.lookup(n.skillId)?.name ?? n.skillId);
  const full = names.join(' → ');
  return full.length <= NAME_MAX ? full : `${names[0]} → … → ${names.at(-1)}`.slice(0, NAME_MAX);
}

const valueText = (value: Json): string => (typeof value === 'string' ? value : JSON.stringify(value));
const samePort = (a: SelectedPort, b: SelectedPort) => a.node === b.node && a.port === b.port;

/** Where a compound port goes inside, named by the inner nodes' labels. */
function innerName(inside: CompoundInside, node: string, port: string): string {
  const inner = inside.nodes.find((n) => n.id === node);
  return `${inner?.label || inner?.skillId || node}.${port}`;
}

/** The compound's inputs or outputs as proposed, each with the inner port it maps to. */
function PortList({ title, none, ports }: { title: string; none: string; ports: Array<{ name: string; type: string; where: string; note?: string }> }) {
  return (
    <section data-testid={`make-skill-${title.toLowerCase()}`}>
      <h3>{title}</h3>
      {ports.length === 0 && <p class="muted">{none}</p>}
      <ul>
        {ports.map((p) => (
          <li key={p.name} data-port={p.name}>
            <code>{p.name}</code> <span class="muted">{p.type}</span> {p.where}
            {p.note && <span class="muted"> ({p.note})</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export interface MakeSkillDialogProps {
  doc: Y.Doc;
  /** The selected nodes to make the skill of. */
  nodes: readonly string[];
  catalog: Catalog;
  undo: { stopCapturing(): void } | null;
  onClose(): void;
  /** The skill is saved and its node stands in the selection's place. */
  onMade(nodeId: string): void;
}

/**
 * Make skill: names the new compound skill, shows the inputs and outputs the selection gives it
 * and lets each inner literal be promoted to an input; Save writes it into the person's volume
 * and replaces the selection with one node of it. A selection that cannot be one skill says why.
 */
export function MakeSkillDialog({ doc, nodes, catalog, undo, onClose, onMade }: MakeSkillDialogProps) {
  const rooms = useRooms();
  const graph = useDocValue(doc, readWorkflowGraph, EMPTY);
  const [name, setName] = useState(() => proposedName(readWorkflowGraph(doc), nodes, catalog));
  const [typedId, setTypedId] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [promote, setPromote] = useState<SelectedPort[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const nameField = useRef<HTMLInputElement>(null);
  useEffect(() => nameField.current?.select(), []);

  const taken = useMemo(() => new Set(catalog.entries.map((e) => e.skillId)), [catalog]);
  const skillId = typedId ?? freeSkillId(skillIdFrom(name || 'compound'), taken);
  // Literals a collaborator has since wired or removed are no longer offered, nor promoted.
  const literals: InnerLiteral[] = useMemo(() => {
    const plain = proposeCompound(graph, nodes, catalog.lookup);
    return plain.ok ? plain.value.literals : [];
  }, [graph, nodes, catalog]);
  const promoted = useMemo(() => promote.filter((p) => literals.some((l) => samePort(l, p))), [promote, literals]);
  const proposal = useMemo(() => proposeCompound(graph, nodes, catalog.lookup, promoted), [graph, nodes, catalog, promoted]);
  const labelOf = (id: string) => {
    const node = graph.nodes.find((n) => n.id === id);
    return node?.label || node?.skillId || id;
  };

  const save = async () => {
    setSaving(true);
    setFailure(null);
    const home = homeVolume();
    const room = rooms.acquire(volumeRoom(home.volume, home.volumeId));
    try {
      await room.whenLocal;
      const target = { workflow: doc, skills: room.doc, lookup: catalog.lookup, known: (id: string) => catalog.entry(id) !== undefined, undo: undo ?? undefined };
      const made = makeSkill(target, { nodes, name, skillId, description, promote: promoted }, ORIGIN.local);
      if (made.ok) onMade(made.value.node.id);
      else setFailure(made.error);
    } finally {
      rooms.release(room);
      setSaving(false);
    }
  };

  const problem = proposal.ok ? failure : proposal.error.message;
  return (
    <div
      class="make-skill-backdrop"
      onClick={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div class="make-skill" role="dialog" aria-modal="true" aria-label="Make skill" data-testid="make-skill-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (proposal.ok && !saving) void save();
          }}
        >
          <h2>Make a skill of {nodes.length === 1 ? 'this node' : `these ${nodes.length} nodes`}</h2>
          <label>
            Name
            <input ref={nameField} value={name} maxLength={NAME_MAX} required data-testid="make-skill-name" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Skill id
            <input value={skillId} data-testid="make-skill-id" onInput={(e) => setTypedId((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Description
            <textarea rows={2} value={description} data-testid="make-skill-description" onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />
          </label>
          {proposal.ok && (
            <div class="make-skill-ports">
              <PortList
                title="Inputs"
                none="None: nothing enters the selection."
                ports={proposal.value.inputs.map((p, i) => ({
                  name: p.name,
                  type: p.type,
                  where: `→ ${proposal.value.inside.inputs[i]!.targets.map((t) => innerName(proposal.value.inside, t.node, t.port)).join(', ')}`,
                  note: p.default === undefined ? undefined : `default ${valueText(p.default as Json)}`,
                }))}
              />
              <PortList
                title="Outputs"
                none="None: nothing leaves the selection."
                ports={proposal.value.outputs.map((p, i) => {
                  const from = proposal.value.inside.outputs[i]!;
                  return { name: p.name, type: p.type, where: `← ${innerName(proposal.value.inside, from.node, from.port)}` };
                })}
              />
            </div>
          )}
          {literals.length > 0 && (
            <section class="make-skill-literals">
              <h3>Inner values</h3>
              <p class="muted">Stay fixed inside the skill, unless promoted to an input (their value its default).</p>
              <ul>
                {literals.map((l) => (
                  <li key={`${l.node}.${l.port}`}>
                    <label>
                      <input
                        type="checkbox"
                        data-testid="promote"
                        data-node={l.node}
                        data-port={l.port}
                        checked={promoted.some((p) => samePort(p, l))}
                        onChange={(e) => {
                          const on = (e.target as HTMLInputElement).checked;
                          setPromote((prev) => (on ? [...prev, { node: l.node, port: l.port }] : prev.filter((p) => !samePort(p, l))));
                        }}
                      />
                      Promote <code>{labelOf(l.node)}.{l.port}</code> = {valueText(l.value)}
                      {!l.set && <span class="muted"> (default)</span>}
                    </label>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {problem && (
            <p class="panel-error" role="alert" data-testid="make-skill-error">
              {problem}
            </p>
          )}
          <div class="make-skill-actions">
            <button type="button" onClick={onClose} data-testid="make-skill-cancel">
              Cancel
            </button>
            <button type="submit" class="primary" disabled={!proposal.ok || saving} data-testid="make-skill-save">
              Save skill
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
