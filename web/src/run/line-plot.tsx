import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesView } from './classify';

const COLORS = ['#38bdf8', '#f97316', '#22c55e', '#a855f7', '#eab308', '#ec4899'];
const WIDTH = 340;
const HEIGHT = 200;

/** A line chart of one or more series (uPlot: small, fast, canvas-drawn). */
export function LinePlot({ view }: { view: SeriesView }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const axis = { stroke: '#94a3b8', grid: { stroke: '#1e293b' }, ticks: { stroke: '#334155' } };
    const series: uPlot.Series[] = [
      { label: view.xLabel },
      ...view.series.map((s, i) => ({ label: s.name, stroke: COLORS[i % COLORS.length], width: 1.5, scale: s.axis === 'right' ? 'right' : 'y' })),
    ];
    const data: uPlot.AlignedData = [view.x, ...view.series.map((s) => s.values)];
    if (view.reference !== undefined) {
      series.push({ label: 'reference', stroke: '#dc2626', dash: [6, 4], width: 1, points: { show: false } });
      data.push(view.x.map(() => view.reference as number));
    }
    const plot = new uPlot(
      {
        width: WIDTH,
        height: HEIGHT,
        title: view.title,
        scales: { x: { time: false, ...(view.xLog ? { distr: 3 } : {}) }, y: {}, ...(view.rightLabel ? { right: {} } : {}) },
        axes: [
          { ...axis, label: view.xLabel },
          { ...axis, scale: 'y', label: view.yLabel, size: 60 },
          // Currents beside voltages: their own scale, on the right, without a second grid.
          ...(view.rightLabel ? [{ ...axis, scale: 'right', side: 1 as const, label: view.rightLabel, size: 60, grid: { show: false } }] : []),
        ],
        legend: { show: view.series.length > 1 || view.reference !== undefined },
        series,
      },
      data,
      box.current,
    );
    return () => plot.destroy();
  }, [view]);
  return <div class="line-plot nodrag" ref={box} data-testid="line-plot" />;
}
