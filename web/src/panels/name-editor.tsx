import { useEffect, useRef, useState } from 'preact/hooks';

/** An inline name field: Enter or leaving the field saves, Escape cancels. */
export function NameEditor(props: { initial: string; label: string; testId: string; onSave: (name: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(props.initial);
  const input = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const finish = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    const name = value.trim();
    if (save && name && name !== props.initial) props.onSave(name);
    else props.onCancel();
  };
  return (
    <input
      ref={input}
      class="name-editor"
      type="text"
      value={value}
      maxLength={100}
      aria-label={props.label}
      data-testid={props.testId}
      onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') finish(true);
        else if (e.key === 'Escape') finish(false);
      }}
      onBlur={() => finish(true)}
    />
  );
}
