import { useEffect, useRef, useState } from 'preact/hooks';

type Renderer = (markdown: string) => string;
let renderer: Promise<Renderer> | null = null;

/** marked + DOMPurify, loaded with the first message shown (not in the first-render bundle). */
function loadRenderer(): Promise<Renderer> {
  renderer ??= Promise.all([import('marked'), import('dompurify')]).then(([{ marked }, { default: DOMPurify }]) => {
    return (markdown: string) => DOMPurify.sanitize(marked.parse(markdown, { async: false, gfm: true, breaks: true }));
  });
  return renderer;
}

export interface CodeActions {
  onSaveAsSkill(code: string, language: string): void;
}

/**
 * Markdown from the model, rendered and sanitized (no scripts, handlers or javascript: links
 * survive DOMPurify). Code blocks get Copy and "Save as skill" buttons, added as DOM nodes.
 */
export function Markdown({ text, actions }: { text: string; actions?: CodeActions }) {
  const [html, setHtml] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    void loadRenderer().then((render) => live && setHtml(render(text)));
    return () => {
      live = false;
    };
  }, [text]);
  useEffect(() => {
    const el = box.current;
    if (!el || html === null) return;
    for (const pre of Array.from(el.querySelectorAll('pre'))) {
      const code = pre.querySelector('code');
      const language = /language-(\w+)/.exec(code?.className ?? '')?.[1] ?? '';
      const bar = document.createElement('div');
      bar.className = 'code-actions';
      const copy = document.createElement('button');
      copy.type = 'button';
      copy.textContent = 'Copy';
      copy.onclick = () => void navigator.clipboard?.writeText(code?.textContent ?? '');
      bar.append(copy);
      if (actions && ['python', 'py', 'javascript', 'js'].includes(language)) {
        const save = document.createElement('button');
        save.type = 'button';
        save.textContent = 'Save as skill';
        save.dataset.testid = 'save-as-skill';
        save.onclick = () => actions.onSaveAsSkill(code?.textContent ?? '', language);
        bar.append(save);
      }
      pre.before(bar);
    }
  }, [html, actions]);
  if (html === null) return <div class="markdown">{text}</div>;
  // Sanitized by DOMPurify in loadRenderer.
  return <div class="markdown" ref={box} dangerouslySetInnerHTML={{ __html: html }} />;
}
