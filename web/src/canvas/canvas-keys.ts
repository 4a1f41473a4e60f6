import { arrowDirection, type Direction } from './nearest-node';

/** What a key does on the canvas; the list a person sees is `CANVAS_SHORTCUTS` (shortcuts.tsx). */
export type CanvasAction =
  | {
      kind:
        | 'undo'
        | 'redo'
        | 'copy'
        | 'paste'
        | 'select-all'
        | 'delete'
        | 'search'
        | 'shortcuts'
        | 'connect'
        | 'rename'
        | 'note'
        | 'run-workflow'
        | 'run-selected'
        | 'open-compound'
        | 'leave-compound'
        | 'make-skill'
        | 'unpack';
    }
  | { kind: 'select-toward' | 'move'; direction: Direction };

/** Actions that change nothing in the document: all a read-only link's canvas does. */
const READING: ReadonlySet<CanvasAction['kind']> = new Set(['copy', 'select-all', 'shortcuts', 'run-workflow', 'run-selected', 'select-toward', 'open-compound', 'leave-compound']);

/** Whether an action only reads the workflow (a run changes this browser's results, not the document). */
export const onlyReads = (action: CanvasAction): boolean => READING.has(action.kind);

type Keys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/** The canvas action a key press asks for, if any. */
export function canvasAction(e: Keys): CanvasAction | undefined {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return undefined;
  const direction = arrowDirection(e.key);
  if (direction && !mod) return { kind: e.shiftKey ? 'move' : 'select-toward', direction };
  if (mod) {
    if (key === 'z') return { kind: e.shiftKey ? 'redo' : 'undo' };
    if (key === 'y') return { kind: 'redo' };
    if (key === 'c') return { kind: 'copy' };
    if (key === 'v') return { kind: 'paste' };
    if (key === 'a') return { kind: 'select-all' };
    if (key === 'Enter') return { kind: 'run-workflow' };
    if (key === 'g') return { kind: e.shiftKey ? 'unpack' : 'make-skill' };
    return undefined;
  }
  if (key === 'Enter' && e.shiftKey) return { kind: 'run-selected' };
  if (key === 'Enter') return { kind: 'open-compound' };
  if (key === 'Escape') return { kind: 'leave-compound' };
  if (key === '?') return { kind: 'shortcuts' };
  if (key === '/') return { kind: 'search' };
  if (key === 'F2') return { kind: 'rename' };
  if (key === 'n' && !e.shiftKey) return { kind: 'note' };
  if (key === 'c' && !e.shiftKey) return { kind: 'connect' };
  if (key === 'Delete' || key === 'Backspace') return { kind: 'delete' };
  return undefined;
}
