import type { ReactFlowInstance } from '@xyflow/react';

/**
 * Brings a node into view, at the same zoom, when it lies outside the canvas box: the arrow keys
 * select nodes anywhere in the workflow, and the selected one must be seen.
 */
export function revealNode(flow: ReactFlowInstance, box: HTMLElement | null, id: string): void {
  const node = flow.getNode(id);
  if (!node || !box) return;
  const width = node.measured?.width ?? 0;
  const height = node.measured?.height ?? 0;
  const rect = box.getBoundingClientRect();
  const topLeft = flow.flowToScreenPosition(node.position);
  const bottomRight = flow.flowToScreenPosition({ x: node.position.x + width, y: node.position.y + height });
  const inside = topLeft.x >= rect.left && topLeft.y >= rect.top && bottomRight.x <= rect.right && bottomRight.y <= rect.bottom;
  if (!inside) void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: flow.getZoom(), duration: 150 });
}
