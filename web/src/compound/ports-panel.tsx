import { useState } from 'preact/hooks';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import type { EditedPorts, InnerPort } from '../../../shared/src/skill/compound-edit';
import type { SkillLookup } from '../../../shared/src/workflow/validate';
import { exposable, exposePort, movePort, renamePort, unexposePort, type Side } from './port-edits';

/** What a port row says it maps to: `node label › port`, or that the node is gone. */
function innerName(graph: WorkflowGraph, lookup: SkillLookup, at: InnerPort): string {
  const node = graph.nodes.find((n) => n.id === at.node);
  if (!node) return `(missing node ${at.node}) › ${at.port}`;
  return `${node.label || lookup(node.skillId)?.name || node.skillId} › ${at.port}`;
}

/** A port's name, edited in place and changed when the field is left or Enter is pressed. */
function PortName({ name, side, onRename }: { name: string; side: Side; onRename: (name: string) => void }) {
  const [text, setText] = useState<string | null>(null);
  const commit = () => {
    if (text !== null && text.trim() !== '' && text.trim() !== name) onRename(text.trim());
    setText(null);
  };
  return (
    <input
      class="compound-port-name"
      value={text ?? name}
      aria-label={`${side === 'inputs' ? 'Input' : 'Output'} name`}
      data-testid="compound-port-name"
      onInput={(e) => setText((e.target as HTMLInputElement).value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setText(null);
      }}
    />
  );
}

function PortList(props: { side: Side; graph: WorkflowGraph; ports: EditedPorts; lookup: SkillLookup; editable: boolean; onChange: (ports: EditedPorts) => void }) {
  const { side, graph, ports, lookup, editable, onChange } = props;
  const [choice, setChoice] = useState('');
  const candidates = exposable(graph, ports, lookup, side);
  const list = ports[side];
  const chosen = candidates.find((c) => `${c.at.node}\u0000${c.at.port}` === choice) ?? candidates[0];
  return (
    <section class="compound-ports-side" data-testid={`compound-${side}`}>
      <h3>{side === 'inputs' ? 'Inputs' : 'Outputs'}</h3>
      {list.length === 0 && <p class="muted">None exposed.</p>}
      <ol>
        {list.map((p, i) => {
          const at = 'targets' in p ? p.targets : [p.from];
          return (
            <li key={`${i}:${p.port.name}`} class="compound-port" data-testid="compound-port" data-name={p.port.name}>
              <div class="compound-port-head">
                {editable ? <PortName name={p.port.name} side={side} onRename={(name) => onChange(renamePort(ports, side, i, name))} /> : <strong>{p.port.name}</strong>}
                <span class="port-type">{p.port.type}</span>
                {editable && (
                  <span class="compound-port-actions">
                    <button type="button" class="small" title="Move up" aria-label={`Move ${p.port.name} up`} data-testid="compound-port-up" disabled={i === 0} onClick={() => onChange(movePort(ports, side, i, -1))}>
                      ↑
                    </button>
                    <button type="button" class="small" title="Move down" aria-label={`Move ${p.port.name} down`} data-testid="compound-port-down" disabled={i === list.length - 1} onClick={() => onChange(movePort(ports, side, i, 1))}>
                      ↓
                    </button>
                    <button type="button" class="small" title="Stop exposing this port" aria-label={`Unexpose ${p.port.name}`} data-testid="compound-port-remove" onClick={() => onChange(unexposePort(ports, side, i))}>
                      ✕
                    </button>
                  </span>
                )}
              </div>
              <div class="compound-port-map muted" data-testid="compound-port-map">
                {side === 'inputs' ? '→ ' : '← '}
                {at.map((t) => innerName(graph, lookup, t)).join(', ')}
                {'default' in p.port && p.port.default !== undefined ? ` (default ${JSON.stringify(p.port.default)})` : ''}
              </div>
            </li>
          );
        })}
      </ol>
      {editable && candidates.length > 0 && chosen && (
        <div class="compound-expose">
          <select aria-label={`Inner ${side === 'inputs' ? 'input' : 'output'} to expose`} data-testid={`compound-expose-${side}`} value={`${chosen.at.node}\u0000${chosen.at.port}`} onChange={(e) => setChoice((e.target as HTMLSelectElement).value)}>
            {candidates.map((c) => (
              <option key={`${c.at.node}\u0000${c.at.port}`} value={`${c.at.node}\u0000${c.at.port}`}>
                {c.title}
              </option>
            ))}
          </select>
          <button type="button" class="small" data-testid={`compound-expose-${side}-button`} onClick={() => onChange(exposePort(ports, side, chosen))}>
            Expose
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * The open compound's ports beside its inside: each input with the inner ports it feeds, each
 * output with the inner port it comes from, in the order instances show them; renamed, moved,
 * exposed and unexposed here, saved with the skill.
 */
export function PortsPanel(props: { graph: WorkflowGraph; ports: EditedPorts; lookup: SkillLookup; editable: boolean; onChange: (ports: EditedPorts) => void }) {
  return (
    <aside class="compound-ports" data-testid="compound-ports">
      <PortList side="inputs" {...props} />
      <PortList side="outputs" {...props} />
    </aside>
  );
}
