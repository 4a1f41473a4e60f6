import { lazy, Suspense } from 'preact/compat';
import type { SeriesView } from './classify';

/**
 * The line chart, loaded when a result first needs one: uPlot is a fifth of the first screen's
 * code otherwise, and a canvas opened cold has no results to plot yet. The chart's own box
 * (line-plot.tsx) takes its place once loaded.
 */
const Plot = lazy(() => import('./line-plot').then((m) => ({ default: m.LinePlot })));

export function LinePlot({ view }: { view: SeriesView }) {
  return (
    <Suspense fallback={<div class="line-plot-loading" data-testid="line-plot-loading" />}>
      <Plot view={view} />
    </Suspense>
  );
}
