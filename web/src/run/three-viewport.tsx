import { useEffect, useRef, useState } from 'preact/hooks';
import { onStages, stageOf, VIEWPORT } from '../runtimes/threejs-stages';

/**
 * A node's live 3D view: the canvas its Three.js worker draws into, moved into this panel (the
 * canvas outlives the panel, so closing and reopening it keeps the scene running).
 */
export function ThreeViewport({ stageKey }: { stageKey: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => onStages((key) => key === stageKey && setVersion((v) => v + 1)), [stageKey]);
  const stage = stageOf(stageKey);
  useEffect(() => {
    if (!stage || !box.current) return;
    box.current.replaceChildren(stage.canvas);
    return () => stage.canvas.remove();
  }, [stage, version]);
  if (!stage) return <div class="muted">Run the node to see its 3D view.</div>;
  return <div class="three-viewport" ref={box} data-testid="three-viewport" style={{ aspectRatio: `${VIEWPORT.width} / ${VIEWPORT.height}` }} />;
}
