import { lazy, Suspense } from 'preact/compat';
import { useRef, useState } from 'preact/hooks';

// The panel, its queries and its styles load when first opened.
const StoragePanel = lazy(() => import('./storage-panel').then((m) => ({ default: m.StoragePanel })));

/** Opens the Storage panel: what this browser keeps for the app, its budget, and a way to clear it. */
export function StorageButton() {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  // Closed, focus goes back where it was: to this button.
  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  return (
    <>
      <button type="button" ref={opener} class="small" aria-expanded={open} title="What this browser keeps for the app" data-testid="storage-open" onClick={() => setOpen(!open)}>
        Storage
      </button>
      {open && (
        <Suspense fallback={null}>
          <StoragePanel onClose={close} />
        </Suspense>
      )}
    </>
  );
}
