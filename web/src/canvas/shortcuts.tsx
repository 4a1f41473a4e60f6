import { useEffect, useRef } from 'preact/hooks';

/**
 * Every shortcut of the canvas, the ones other parts own included (notes, the skill editor
 * beside the canvas), so that one list tells a person all they can do without a mouse.
 */
export const CANVAS_SHORTCUTS: ReadonlyArray<{ keys: string[]; does: string }> = [
  { keys: ['/', 'Double-click the canvas'], does: 'Search skills and add one as a node at that point' },
  { keys: ['Drag from a port to empty space'], does: 'Add a node that fits the port, connected to it' },
  { keys: ['N'], does: 'Add a sticky note' },
  { keys: ['↑ ↓ ← →'], does: 'Select the nearest node in that direction' },
  { keys: ['Shift+↑ ↓ ← →'], does: 'Move the selected nodes' },
  { keys: ['C'], does: 'Connect an output of the selected node to an input of another' },
  { keys: ['F2', 'Double-click a node’s title'], does: 'Rename the selected node' },
  { keys: ['Double-click a node'], does: 'Open its skill in the editor beside the canvas' },
  { keys: ['Enter', 'Open on a compound node'], does: 'Open the selected compound node to edit its inside' },
  { keys: ['Escape', 'The breadcrumb'], does: 'Go back out of an open compound node' },
  { keys: ['Ctrl+Enter'], does: 'Run the workflow' },
  { keys: ['Shift+Enter'], does: 'Run the selected nodes and what they need' },
  { keys: ['Ctrl+G'], does: 'Make a skill of the selected nodes: they become one node of it' },
  { keys: ['Ctrl+Shift+G'], does: 'Unpack the selected compound node into its inner nodes' },
  { keys: ['Ctrl+C', 'Ctrl+V'], does: 'Copy and paste the selected nodes' },
  { keys: ['Ctrl+A'], does: 'Select every node' },
  { keys: ['Delete', 'Backspace'], does: 'Delete the selection' },
  { keys: ['Ctrl+Z', 'Ctrl+Shift+Z', 'Ctrl+Y'], does: 'Undo and redo your own edits' },
  { keys: ['?'], does: 'Show this list' },
  { keys: ['Escape'], does: 'Close a search, a list or this dialog' },
];

/** The canvas's keyboard shortcuts, opened with `?` or the toolbar's "?" button. */
export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div
      class="shortcuts-backdrop"
      onClick={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape' || e.key === '?') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div class="shortcuts" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcuts">
        <div class="shortcuts-heading">
          <h2>Keyboard shortcuts</h2>
          <button type="button" ref={close} onClick={onClose} data-testid="shortcuts-close">
            Close
          </button>
        </div>
        <table>
          <tbody>
            {CANVAS_SHORTCUTS.map((s) => (
              <tr key={s.does}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && <span class="muted"> or </span>}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{s.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
