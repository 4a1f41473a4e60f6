import { Handle, Position, useStore, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { createContext } from 'preact';
import { memo } from 'preact/compat';
import { useContext, useState } from 'preact/hooks';
import type { Json } from '../../../shared/src/json';
import { isRequiredInput } from '../../../shared/src/skill/ports';
import type { InputPort, OutputPort } from '../../../shared/src/skill/schema';
import { OpenCompoundButton } from '../compound/open-compound-button';
import { NodeRunBar } from '../run/node-run-bar';
import type { SkillFlowNode } from './flow-binding';
import { NodeTitle } from './node-title';

/** Where a node's literal edits go; provided by the canvas. */
export interface NodeEditing {
  setInput(nodeId: string, input: string, value: Json | undefined): void;
  rename(nodeId: string, label: string): void;
  /** Gives the keyboard back to the canvas (after a rename, saved or not). */
  refocus(): void;
}

let editing: NodeEditing = { setInput: () => undefined, rename: () => undefined, refocus: () => undefined };
/** The canvas installs its editing callbacks here (React Flow node types cannot take props). */
export const provideNodeEditing = (e: NodeEditing): void => {
  editing = e;
};

/**
 * Whether the canvas may change its document: false in a room opened with a read share link,
 * where literal inputs are shown but cannot be edited.
 */
export const CanvasEditable = createContext(true);

function parseLiteral(port: InputPort, text: string): { ok: true; value: Json | undefined } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  switch (port.type) {
    case 'string':
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const n = Number(text);
      if (!Number.isFinite(n)) return { ok: false, error: `${port.name} needs a number` };
      if (port.type === 'integer' && !Number.isInteger(n)) return { ok: false, error: `${port.name} needs a whole number` };
      return { ok: true, value: n };
    }
    default:
      try {
        return { ok: true, value: JSON.parse(text) as Json };
      } catch {
        return { ok: false, error: `${port.name} needs JSON (${port.type})` };
      }
  }
}

const display = (value: Json | undefined, port: InputPort): string =>
  value === undefined ? '' : port.type === 'string' && typeof value === 'string' ? value : JSON.stringify(value);

function LiteralInput({ nodeId, port, value }: { nodeId: string; port: InputPort; value: Json | undefined }) {
  const [error, setError] = useState<string | null>(null);
  // What is being typed: a literal is often invalid halfway (`[1,`), and showing the document's
  // value instead would drop each keystroke that does not parse.
  const [draft, setDraft] = useState<string | null>(null);
  const editable = useContext(CanvasEditable);
  const text = draft ?? display(value, port);
  const placeholder = port.default !== undefined ? `default ${JSON.stringify(port.default)}` : isRequiredInput(port) ? 'required' : 'optional';
  if (port.type === 'boolean') {
    return (
      <input
        class="nodrag"
        type="checkbox"
        aria-label={port.name}
        disabled={!editable}
        checked={value === true}
        onChange={(e) => editing.setInput(nodeId, port.name, (e.target as HTMLInputElement).checked)}
      />
    );
  }
  return (
    <span class="literal">
      <input
        class={`nodrag ${error ? 'invalid' : ''}`}
        type="text"
        aria-label={port.name}
        data-testid={`literal-${port.name}`}
        readOnly={!editable}
        placeholder={placeholder}
        title={text === '' ? `${port.name} (${port.type}): ${placeholder}` : `${port.name} = ${text}`}
        value={text}
        onBlur={() => setDraft(null)}
        onChange={(e) => {
          const text = (e.target as HTMLInputElement).value;
          setDraft(text);
          const parsed = parseLiteral(port, text);
          if (!parsed.ok) return setError(parsed.error);
          setError(null);
          editing.setInput(nodeId, port.name, parsed.value);
        }}
      />
      {error && <span class="literal-error">{error}</span>}
    </span>
  );
}

/** How wide a node is drawn (style.css's `.skill-node`), for placing nodes before they are measured. */
export const NODE_WIDTH = 290;

/** Below this zoom a node's text is unreadable anyway: draw only its title and handles. */
const COMPACT_ZOOM = 0.4;
const isCompact = (s: ReactFlowState) => s.transform[2] < COMPACT_ZOOM;

/** What a port's row says in full when hovered: its name, type, default and description. */
function portTitle(port: InputPort | OutputPort): string {
  const fallback = 'default' in port && port.default !== undefined ? `, default ${JSON.stringify(port.default)}` : '';
  return `${port.name} (${port.type}${fallback})${port.description ? `: ${port.description}` : ''}`;
}

/**
 * A skill on the canvas: one handle per declared input and output, labelled with its type. Each
 * handle covers its whole row (canvas.css), so a connection starts from, or lands on, a port's
 * name as well as its dot; the literal fields of input rows sit above it and stay editable.
 */
function SkillNodeView({ id, data, selected }: NodeProps<SkillFlowNode>) {
  const compact = useStore(isCompact);
  const skill = data.skill;
  const outline = data.selectedBy[0]?.color;
  const editable = useContext(CanvasEditable);
  return (
    <div
      class={`skill-node ${selected ? 'selected' : ''} ${skill ? '' : 'missing'}`}
      style={outline ? { boxShadow: `0 0 0 3px ${outline}` } : undefined}
      data-testid="skill-node"
      data-skill={data.skillId}
      data-kind={skill?.type === 'compound' ? 'compound' : undefined}
    >
      {data.selectedBy.length > 0 && (
        <div class="selected-by">{data.selectedBy.map((s) => <span key={s.name} style={{ background: s.color }}>{s.name}</span>)}</div>
      )}
      <NodeTitle nodeId={id} label={data.label || data.skillId} editable={editable} onRename={(label) => editing.rename(id, label)} onDone={() => editing.refocus()} />
      {skill?.type === 'compound' && <OpenCompoundButton nodeId={id} />}
      {!skill && <div class="skill-node-missing">Skill "{data.skillId}" is in none of your volumes.</div>}
      {skill?.type === 'compound' && !compact && <div class="skill-node-kind muted" data-testid="compound-kind" title="A compound skill: it runs as the workflow inside it">compound skill</div>}
      {skill && <NodeRunBar nodeId={id} compact={compact} />}
      <div class="skill-node-ports">
        {skill?.inputs.map((port) => (
          <div class="port input" key={port.name}>
            <Handle type="target" position={Position.Left} id={port.name} title={portTitle(port)} />
            {!compact && (
              <>
                <span class="port-name">{port.name}</span>
                <span class="port-type">{port.type}</span>
                {!data.wired.includes(port.name) && <LiteralInput nodeId={id} port={port} value={data.inputs[port.name]} />}
              </>
            )}
          </div>
        ))}
        {skill?.outputs.map((port) => (
          <div class="port output" key={port.name}>
            {!compact && (
              <>
                <span class="port-type">{port.type}</span>
                <span class="port-name">{port.name}</span>
              </>
            )}
            <Handle type="source" position={Position.Right} id={port.name} title={portTitle(port)} />
          </div>
        ))}
      </div>
    </div>
  );
}

export const SkillNode = memo(SkillNodeView);
