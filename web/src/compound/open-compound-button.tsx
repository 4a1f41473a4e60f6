import './open-compound-button.css';
import { openCompound } from './open-route';

/** The "Open" button of a compound node: shows its inside on the canvas. */
export function OpenCompoundButton({ nodeId }: { nodeId: string }) {
  return (
    <button
      type="button"
      class="nodrag small compound-open-button"
      data-testid="open-compound"
      title="Open this compound node to see and edit its inside (Enter when it is selected)"
      onClick={(e) => {
        e.stopPropagation();
        openCompound(nodeId);
      }}
    >
      Open
    </button>
  );
}
