import type { ComponentType, RefObject } from 'preact';
import { Suspense } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A top bar button that opens a panel beside it (Storage, Assistants). The panel is a lazy
 * component, so its code and styles load when first opened; closed, focus goes back to the button.
 */
export function PanelButton({ label, title, testId, Panel }: { label: string; title: string; testId: string; Panel: ComponentType<{ onClose(): void }> }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  return (
    <>
      <button type="button" ref={opener} class="small" aria-expanded={open} title={title} data-testid={testId} onClick={() => setOpen(!open)}>
        {label}
      </button>
      {open && (
        <Suspense fallback={null}>
          <Panel onClose={close} />
        </Suspense>
      )}
    </>
  );
}

/**
 * What every such panel does about closing: focus starts on its Close button (the ref returned),
 * and Escape closes it wherever focus is, as long as it is open (focus may have left it).
 */
export function usePanelClosing(onClose: () => void): RefObject<HTMLButtonElement | null> {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return close;
}
