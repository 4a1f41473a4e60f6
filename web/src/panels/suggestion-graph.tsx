import type { Suggestion } from '../../../shared/src/evolution/suggest';

/** suggest.ts lays inner nodes out on this grid; the preview draws the same grid small. */
const GRID = { x: 320, y: 160 };
const BOX = { w: 70, h: 24, gapX: 14, gapY: 10 };

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A small drawing of a suggestion's inside: its inner nodes (by skill name) and the edges between them. */
export function SuggestionGraph({ suggestion, nameOf }: { suggestion: Suggestion; nameOf: (skillId: string) => string }) {
  const { nodes, edges } = suggestion.inside;
  const place = new Map(nodes.map((n) => [n.id, { x: Math.round(n.position.x / GRID.x) * (BOX.w + BOX.gapX), y: Math.round(n.position.y / GRID.y) * (BOX.h + BOX.gapY) }]));
  const width = Math.max(...[...place.values()].map((p) => p.x)) + BOX.w + 2;
  const height = Math.max(...[...place.values()].map((p) => p.y)) + BOX.h + 2;
  return (
    <svg class="suggestion-graph" data-testid="suggestion-graph" viewBox={`-1 -1 ${width} ${height}`} width={width} height={height} role="img" aria-label={`${nodes.length} nodes, ${edges.length} edges`}>
      {edges.map((e) => {
        const from = place.get(e.source)!;
        const to = place.get(e.target)!;
        return (
          <line key={e.id} class="suggestion-edge" data-testid="suggestion-graph-edge" x1={from.x + BOX.w} y1={from.y + BOX.h / 2} x2={to.x} y2={to.y + BOX.h / 2}>
            <title>
              {e.sourceHandle} → {e.targetHandle}
            </title>
          </line>
        );
      })}
      {nodes.map((n) => {
        const p = place.get(n.id)!;
        return (
          <g key={n.id} data-testid="suggestion-graph-node" data-skill-id={n.skillId}>
            <rect class="suggestion-node" x={p.x} y={p.y} width={BOX.w} height={BOX.h} rx={4} />
            <text x={p.x + 5} y={p.y + BOX.h / 2 + 4}>
              {clip(nameOf(n.skillId), 11)}
            </text>
            <title>{n.skillId}</title>
          </g>
        );
      })}
    </svg>
  );
}
