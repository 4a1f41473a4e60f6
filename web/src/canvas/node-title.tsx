import { createStore, useStore } from '../documents/store';
import { NameEditor } from '../panels/name-editor';

/** The node whose title is being edited in this browser (F2, or a double-click on the title). */
const renaming = createStore<string | null>(null);

/** Starts renaming a node: its title becomes a text field. */
export const startRenaming = (nodeId: string): void => renaming.set(nodeId);

/**
 * A node's title; renamed in place, where Enter (or leaving the field) saves the label in the
 * workflow and Escape keeps the old one. A double-click here renames and does not open the
 * node's skill, which a double-click elsewhere on the node does.
 */
export function NodeTitle(props: { nodeId: string; label: string; editable: boolean; onRename(label: string): void; onDone(): void }) {
  const editing = useStore(renaming, (id) => id === props.nodeId);
  const stop = () => {
    if (renaming.get() === props.nodeId) renaming.set(null);
    props.onDone();
  };
  if (editing && props.editable) {
    return (
      <div class="skill-node-title nodrag">
        <NameEditor
          initial={props.label}
          label="Node name"
          testId="node-rename"
          onSave={(label) => {
            stop();
            props.onRename(label);
          }}
          onCancel={stop}
        />
      </div>
    );
  }
  return (
    <div
      class="skill-node-title"
      title={`${props.label}${props.editable ? ' (double-click or F2 to rename)' : ''}`}
      data-testid="node-title"
      onDblClick={(e) => {
        if (!props.editable) return;
        e.stopPropagation();
        startRenaming(props.nodeId);
      }}
    >
      {props.label}
    </div>
  );
}
