import { useEffect, useRef } from 'preact/hooks';
import { useStore } from '../documents/store';
import { threeStages, VIEWPORT } from '../runtimes/threejs-stages';

/**
 * A node's live 3D view: the canvas its Three.js worker draws into, moved into this panel (the
 * canvas outlives the panel, so closing and reopening it keeps the scene running).
 */
export function ThreeViewport({ stageKey }: { stageKey: string }) {
  const box = useRef<HTMLDivElement>(null);
  const stage = useStore(threeStages, (stages) => stages.get(stageKey));
  useEffect(() => {
    if (!stage || !box.current) return;
    box.current.replaceChildren(stage.canvas);
    return () => stage.canvas.remove();
  }, [stage]);
  if (!stage) return <div class="muted">Run the node to see its 3D view.</div>;
  return <div class="three-viewport" ref={box} data-testid="three-viewport" style={{ aspectRatio: `${VIEWPORT.width} / ${VIEWPORT.height}` }} />;
}
