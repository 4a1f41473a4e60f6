import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fieldText, type FieldView } from './classify';
import { fieldPixels, viridisGradient } from './colormap';

/** The drawn image is at most this wide and tall (CSS pixels); small fields are scaled up. */
const BOX = 320;

const formatValue = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4))));

/**
 * A 2-D field as an image: one canvas pixel per value in viridis, scaled to the panel with
 * nearest-neighbour sampling (each cell stays a crisp square), a colour bar from min to max, the
 * field's size, and its numbers on request.
 */
export function Heatmap({ view }: { view: FieldView }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [numbers, setNumbers] = useState(false);
  const scale = BOX / Math.max(view.rows, view.columns);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(view.columns, view.rows);
    image.data.set(fieldPixels(view.values, view.min, view.max));
    context.putImageData(image, 0, 0);
  }, [view]);
  const text = useMemo(() => (numbers ? fieldText(view) : ''), [numbers, view]);
  return (
    <div class="heatmap nodrag" data-testid="heatmap">
      <canvas
        ref={canvas}
        class="heatmap-image"
        data-testid="heatmap-canvas"
        width={view.columns}
        height={view.rows}
        style={{ width: `${Math.round(view.columns * scale)}px`, height: `${Math.round(view.rows * scale)}px` }}
        aria-label={`Heatmap of ${view.rows} rows by ${view.columns} columns, from ${formatValue(view.min)} to ${formatValue(view.max)}`}
      />
      <div class="heatmap-legend" data-testid="heatmap-legend">
        <span data-testid="heatmap-min">{formatValue(view.min)}</span>
        <span class="heatmap-bar" style={{ background: `linear-gradient(to right, ${viridisGradient()})` }} />
        <span data-testid="heatmap-max">{formatValue(view.max)}</span>
      </div>
      <div class="heatmap-footer">
        <span class="muted" data-testid="heatmap-size">
          {view.rows} × {view.columns}
        </span>
        <button type="button" class="link" data-testid="heatmap-numbers" aria-pressed={numbers} onClick={() => setNumbers(!numbers)}>
          {numbers ? 'Hide numbers' : 'Show numbers'}
        </button>
      </div>
      {numbers && <pre class="output-json nowheel" data-testid="heatmap-json">{text}</pre>}
    </div>
  );
}
