import { useReactFlow } from '@xyflow/react';
import { useLayoutEffect, useRef } from 'preact/hooks';

/**
 * When a panel beside the flow (the results dock, a skill's editor) opens and the narrower flow
 * area hides nodes that were in view, fits them back in (never zooming in).
 */
export function useRefitWhenOpened(visible: boolean): void {
  const flow = useReactFlow();
  const was = useRef(false);
  useLayoutEffect(() => {
    const opened = visible && !was.current;
    was.current = visible;
    if (!opened) return;
    const frame = requestAnimationFrame(() => {
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
      if (!pane) return;
      const hidden = [...document.querySelectorAll('.react-flow__node')].some((n) => n.getBoundingClientRect().right > pane.right);
      if (hidden) void flow.fitView({ padding: 0.1, maxZoom: flow.getZoom() });
    });
    return () => cancelAnimationFrame(frame);
  }, [visible, flow]);
}
