import { useMemo, useState } from 'preact/hooks';
import type { NodeSkillFrontmatter } from '../../../shared/src/workflow/validate';
import type { CatalogEntry } from '../documents/catalog';
import { CanvasPicker } from './canvas-picker';
import { parseSkillQuery } from './skill-query';
import { portsFitting, searchIndex, searchSkills, type PortNeed } from './skill-search';

/** Lines shown at most: the list is for picking, the words and filters narrow it. */
const SHOWN = 60;

const PLACEHOLDER = 'Search skills · in:array out:number type:python vol:team';

/** Where the search was opened from a dragged port: the new node must fit it. */
export interface SearchFromPort {
  need: PortNeed;
  /** The port dragged from, as the heading names it. */
  port: string;
}

/**
 * The node search opened on the canvas (double-click, `/`, or a connection dropped in empty
 * space): skills ranked by the query's words, narrowed by its filters; Enter adds the skill.
 * Opened from a port, it lists only skills with a port that fits, and asks which port when
 * several do.
 */
export function NodeSearch(props: {
  at: { x: number; y: number };
  bounds: { width: number; height: number };
  entries: readonly CatalogEntry[];
  from?: SearchFromPort;
  onAdd(skill: NodeSkillFrontmatter, port?: string): void;
  onClose(): void;
}) {
  const { entries, from, onAdd } = props;
  const index = useMemo(() => searchIndex(entries), [entries]);
  const [text, setText] = useState('');
  const [choosingPort, setChoosingPort] = useState<NodeSkillFrontmatter | null>(null);
  const parsed = useMemo(() => parseSkillQuery(text), [text]);
  const found = useMemo(() => searchSkills(index, parsed.query, from?.need).slice(0, SHOWN), [index, parsed, from]);

  if (choosingPort && from) {
    const ports = portsFitting(choosingPort, from.need);
    return (
      <CanvasPicker
        key="port"
        at={props.at}
        bounds={props.bounds}
        heading={`Connect ${from.port} to which ${from.need.side} of ${choosingPort.name}?`}
        items={ports.map((p) => ({ key: p.name, label: p.name, detail: p.type, title: p.description }))}
        empty="No port fits."
        onPick={(i) => onAdd(choosingPort, ports[i]?.name)}
        onClose={props.onClose}
        testId="node-search-port"
      />
    );
  }

  const pick = (i: number) => {
    const skill = found[i]?.frontmatter;
    if (!skill) return;
    if (!from) return onAdd(skill);
    const ports = portsFitting(skill, from.need);
    if (ports.length === 1) onAdd(skill, ports[0]?.name);
    else setChoosingPort(skill);
  };

  return (
    <CanvasPicker
      key="search"
      at={props.at}
      bounds={props.bounds}
      heading={from ? `Add a node that ${from.need.side === 'input' ? 'takes' : 'feeds'} ${from.port} (${from.need.type})` : 'Add a node'}
      query={{ value: text, onInput: setText, placeholder: PLACEHOLDER, label: 'Search skills to add' }}
      problems={parsed.problems}
      items={found.map((s) => ({
        key: s.skillId,
        label: s.name,
        detail: `${s.runtime} · ${s.volume}`,
        title: `${s.name} (${s.skillId})${s.description ? `: ${s.description}` : ''}`,
      }))}
      empty={index.docs.length === 0 ? 'The skill library is still loading…' : 'No runnable or compound skill matches.'}
      onPick={pick}
      onClose={props.onClose}
      testId="node-search"
    />
  );
}
