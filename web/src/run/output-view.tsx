import type { Json } from '../../../shared/src/json';
import { classifyOutput, type OutputView } from './classify';
import { Heatmap } from './heatmap';
import { LinePlot } from './lazy-line-plot';

const cell = (v: Json) => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Numbers with up to 10 significant digits, without float noise. */
const formatNumber = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(10))));

export function OutputBody({ view }: { view: OutputView }) {
  switch (view.kind) {
    case 'number':
      return <span class="output-number" data-testid="output-number">{formatNumber(view.value)}</span>;
    case 'boolean':
      return <span class="output-number">{String(view.value)}</span>;
    case 'text':
      return <pre class="output-text nowheel nodrag">{view.value}</pre>;
    case 'svg':
      // An <img> never runs the SVG's scripts nor reaches its external references.
      return <img class="output-svg" data-testid="output-svg" src={view.url} alt="SVG output" />;
    case 'table':
      return (
        <div class="output-table nowheel nodrag">
          <table>
            <thead>
              <tr>{view.columns.map((c) => <th key={c}>{c}</th>)}</tr>
            </thead>
            <tbody>
              {view.rows.map((row, i) => (
                <tr key={i}>{row.map((v, j) => <td key={j}>{cell(v)}</td>)}</tr>
              ))}
            </tbody>
          </table>
          {view.total > view.rows.length && <div class="muted">{view.total - view.rows.length} more rows</div>}
        </div>
      );
    case 'series':
      return <LinePlot view={view} />;
    case 'field':
      return <Heatmap view={view} />;
    case 'json':
      return <pre class="output-json nowheel nodrag">{view.text}</pre>;
  }
}

/** One output: its name, type and value drawn by kind. */
export function OutputItem({ name, value }: { name: string; value: Json }) {
  const view = classifyOutput(name, value);
  return (
    <div class={`output output-${view.kind}`} data-testid="output" data-output={name} data-kind={view.kind}>
      <div class="output-name">{name}</div>
      <OutputBody view={view} />
    </div>
  );
}
