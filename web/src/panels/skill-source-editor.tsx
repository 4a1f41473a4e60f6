import { useEffect, useRef, useState } from 'preact/hooks';
import type { SkillError } from '../../../shared/src/skill/parse';
import type { SharedSkillText, SkillCodeEditor } from '../editor/skill-code-editor';

/**
 * A skill's Markdown in CodeMirror (loaded when the first editor opens, never with the first
 * render), its problems marked at their lines and listed below (file, line, field, message);
 * clicking a problem selects its line. `shared` edits the skill's text live with the room;
 * otherwise `text` is shown and each edit reported through `onChange`.
 */
export function SkillSourceEditor(props: {
  text: string;
  shared?: SharedSkillText;
  errors: SkillError[];
  readOnly: boolean;
  onChange?: (text: string) => void;
  onSave?: () => void;
  /** A 1-based line to put the cursor on and show, once the editor is open. */
  line?: number;
}) {
  const { text, shared, errors, readOnly, line } = props;
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<SkillCodeEditor | null>(null);
  const [failed, setFailed] = useState(false);
  // Read at each event, so a new callback never remounts the editor.
  const handlers = useRef({ onChange: props.onChange, onSave: props.onSave });
  handlers.current = { onChange: props.onChange, onSave: props.onSave };
  const initialText = useRef(text);
  initialText.current = text;

  useEffect(() => {
    let live = true;
    let mounted: SkillCodeEditor | null = null;
    import('../editor/skill-code-editor').then(
      ({ mountSkillCodeEditor }) => {
        if (!live || !host.current) return;
        mounted = mountSkillCodeEditor(host.current, {
          source: shared ? { kind: 'shared', ...shared } : { kind: 'text', text: initialText.current },
          readOnly,
          onChange: (t) => handlers.current.onChange?.(t),
          onSave: () => handlers.current.onSave?.(),
        });
        setEditor(mounted);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      mounted?.destroy();
      setEditor(null);
    };
  }, [shared?.ytext, shared?.awareness, readOnly]);

  useEffect(() => {
    if (!shared) editor?.setText(text);
  }, [editor, shared, text]);
  useEffect(() => editor?.setProblems(errors), [editor, errors]);
  useEffect(() => {
    if (line !== undefined) editor?.goToLine(line, false);
  }, [editor, line]);

  return (
    <div class="skill-source" data-testid="skill-source-editor" data-ready={editor ? 'true' : 'false'}>
      {failed && (
        <p class="panel-error" role="alert">
          The code editor could not be loaded: this browser has no copy of it yet and the server cannot be reached. Reload the page once you are back online.
        </p>
      )}
      {!editor && !failed && <p class="muted source-loading">Opening the editor…</p>}
      <div class="source-editor" ref={host} />
      {errors.length > 0 && (
        <ul class="skill-error-list" role="alert" data-testid="skill-errors">
          {errors.map((e, i) => (
            <li key={i} data-testid="skill-error" data-line={e.line} data-field={e.field ?? ''}>
              <button type="button" class="link" onClick={() => editor?.goToLine(e.line, true)} title="Select this line">
                {e.file}:{e.line}
              </button>{' '}
              {e.field && <code class="error-field">{e.field}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
