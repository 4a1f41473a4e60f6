import { useMemo, useRef, useState } from 'preact/hooks';
import type { SkillError } from '../../../shared/src/skill/parse';

/** Every line is this tall, in the text, the line numbers and the error bands alike (see style.css). */
const LINE_PX = 20;
const PAD_PX = 8;

/** The start and end offsets of a 1-based line. */
function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) break;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return [start, end < 0 ? text.length : end];
}

/**
 * A skill's Markdown with line numbers, its error lines marked in the margin and the text, and
 * the list of errors (file, line, field, message) below; clicking an error selects its line.
 */
export function SkillSourceEditor(props: { text: string; errors: SkillError[]; readOnly: boolean; onChange?: (text: string) => void; onSave?: () => void }) {
  const { text, errors } = props;
  const area = useRef<HTMLTextAreaElement>(null);
  const [scroll, setScroll] = useState(0);
  const lineCount = useMemo(() => text.split('\n').length, [text]);
  const byLine = useMemo(() => {
    const map = new Map<number, string[]>();
    for (const e of errors) map.set(e.line, [...(map.get(e.line) ?? []), e.message]);
    return map;
  }, [errors]);

  const jumpTo = (line: number) => {
    const ta = area.current;
    if (!ta) return;
    const [start, end] = lineRange(text, line);
    ta.focus();
    ta.setSelectionRange(start, end);
    ta.scrollTop = Math.max(0, (line - 1) * LINE_PX - ta.clientHeight / 2);
  };

  return (
    <div class="skill-source">
      <div class="source-editor">
        <div class="source-gutter" aria-hidden="true">
          <div style={{ transform: `translateY(${-scroll}px)` }}>
            {Array.from({ length: lineCount }, (_, i) => (
              <div key={i} class={byLine.has(i + 1) ? 'error-line' : undefined} title={byLine.get(i + 1)?.join('\n')}>
                {i + 1}
              </div>
            ))}
          </div>
        </div>
        <div class="source-body">
          <div class="source-bands" aria-hidden="true" style={{ transform: `translateY(${-scroll}px)` }}>
            {[...byLine.keys()].map((line) => (
              <div key={line} class="error-band" data-testid="error-band" data-line={line} style={{ top: `${PAD_PX + (line - 1) * LINE_PX}px` }} />
            ))}
          </div>
          <textarea
            ref={area}
            value={text}
            readOnly={props.readOnly}
            wrap="off"
            spellcheck={false}
            aria-label="Skill Markdown"
            aria-invalid={errors.length > 0}
            data-testid="skill-source"
            onInput={(e) => props.onChange?.((e.target as HTMLTextAreaElement).value)}
            onScroll={(e) => setScroll((e.target as HTMLTextAreaElement).scrollTop)}
            onKeyDown={(e) => {
              if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && props.onSave) {
                e.preventDefault();
                props.onSave();
              }
            }}
          />
        </div>
      </div>
      {errors.length > 0 && (
        <ul class="skill-error-list" role="alert" data-testid="skill-errors">
          {errors.map((e, i) => (
            <li key={i} data-testid="skill-error" data-line={e.line} data-field={e.field ?? ''}>
              <button type="button" class="link" onClick={() => jumpTo(e.line)} title="Select this line">
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
