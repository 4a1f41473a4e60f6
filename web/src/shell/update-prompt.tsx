import { useEffect, useState } from 'preact/hooks';
import { registerSW } from 'virtual:pwa-register';

/**
 * Registers the service worker (which precaches the app shell so it starts offline) and, when a
 * new version has been deployed, offers to reload into it.
 */
export function UpdatePrompt() {
  const [update, setUpdate] = useState<((reload?: boolean) => Promise<void>) | null>(null);
  useEffect(() => {
    const updateSW = registerSW({ onNeedRefresh: () => setUpdate(() => updateSW) });
  }, []);
  if (!update) return null;
  return (
    <div class="update-prompt" role="status" data-testid="update-prompt">
      A new version of LLMunix is ready.
      <button type="button" onClick={() => void update(true)}>
        Reload
      </button>
      <button type="button" onClick={() => setUpdate(null)}>
        Later
      </button>
    </div>
  );
}
