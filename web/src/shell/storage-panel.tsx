import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../documents/store';
import { clearVersionCopies, versionCopiesUsage } from '../history/version-cache';
import { ConfirmButton } from '../panels/confirm-button';
import { useFailure } from '../panels/home-index';
import { fileSize } from '../panels/skill-files-view';
import { budgetMib, parseBudgetMib, setStorageBudget, storageBudget } from '../run/budget-setting';
import { clearCounted, countedUsage, keepToBudget, usageEvents, type StoreUsage } from '../run/result-budget';
import type { CountedStore } from '../run/run-db';
import { usePanelClosing } from './panel-button';
import { persistence, type Persistence } from './persistent-storage';
import './storage-panel.css';

interface Usage {
  counted: Awaited<ReturnType<typeof countedUsage>>;
  /** Copies of the server's versions kept to browse them offline (history/version-cache.ts), outside the budget. */
  versions: StoreUsage;
  /** What the browser says this site uses of what it may, all storage included; null when it cannot say. */
  estimate: { usage: number; quota: number } | null;
}

async function readUsage(): Promise<Usage> {
  const [counted, versions, estimate] = await Promise.all([
    countedUsage(),
    versionCopiesUsage(),
    navigator.storage?.estimate ? navigator.storage.estimate().catch(() => null) : Promise.resolve(null),
  ]);
  return { counted, versions, estimate: estimate ? { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 } : null };
}

/** The usage, read again whenever the counted stores change (a burst of writes reads once). */
function useUsage(): { usage: Usage | null; failure: string | null } {
  const [usage, setUsage] = useState<Usage | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () =>
      void readUsage().then(
        (u) => live && (setUsage(u), setFailure(null)),
        (e: unknown) => live && setFailure(`The run store could not be read: ${e instanceof Error ? e.message : String(e)}.`),
      );
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(read, 100);
    };
    read();
    usageEvents.addEventListener('usage-changed', soon);
    // Other tabs write to the same store, and run histories pin results, without telling this one.
    const every = setInterval(read, 5000);
    return () => {
      live = false;
      clearTimeout(timer);
      clearInterval(every);
      usageEvents.removeEventListener('usage-changed', soon);
    };
  }, []);
  return { usage, failure };
}

/** The version copies are not a counted store: after clearing them, the panel reads the usage again. */
const usageReadAgain = () => void usageEvents.dispatchEvent(new Event('usage-changed'));

const PERSISTENCE_TEXT: Record<Persistence, string> = {
  asking: 'Asking the browser to keep this app’s data…',
  persistent: 'Persistent: the browser will not clear this app’s data on its own.',
  'best-effort':
    'Not persistent: the browser may clear this app’s data when space runs low. Installing the app (or bookmarking it) usually lets it keep the data; unsynced work is at risk until then.',
  unavailable: 'This browser cannot keep data persistently here (the page is not a secure context, or the browser is too old).',
};

/** How much the result cache and saved node results take, the budget they keep to, and the browser's view of it all. */
export function StoragePanel({ onClose }: { onClose(): void }) {
  const { usage, failure: readFailure } = useUsage();
  const kept = useStore(persistence);
  const budget = useStore(storageBudget);
  const [draft, setDraft] = useState(() => budgetMib(budget));
  const [budgetError, setBudgetError] = useState<string | null>(null);
  const { failure, watch } = useFailure();
  const close = usePanelClosing(onClose);
  useEffect(() => setDraft(budgetMib(budget)), [budget]);

  const saveBudget = () => {
    const parsed = parseBudgetMib(draft);
    if (!parsed.ok) return setBudgetError(parsed.error);
    setBudgetError(null);
    setStorageBudget(parsed.value);
    watch('Keeping to the new budget', keepToBudget());
  };
  // Pinned results are kept beside the budget, which bounds the rest.
  const pinnedBytes = usage?.counted.pinned.bytes ?? 0;
  const used = usage ? usage.counted.results.bytes + usage.counted.nodes.bytes - pinnedBytes : 0;
  return (
    <div
      class="storage-panel"
      role="dialog"
      aria-label="Storage"
      data-testid="storage-panel"
    >
      <div class="storage-heading">
        <h2>Storage in this browser</h2>
        <button type="button" ref={close} onClick={onClose} data-testid="storage-close">
          Close
        </button>
      </div>
      <p data-testid="storage-persistence" data-state={kept}>
        {PERSISTENCE_TEXT[kept]}
      </p>
      {readFailure && <p class="panel-error">{readFailure}</p>}
      {failure && <p class="panel-error">{failure}</p>}
      <table>
        <tbody>
          <CountedRow
            store="results"
            label="Cached results"
            title="Outputs of skill runs, reused when a node runs again with the same skill and inputs"
            usage={usage?.counted.results}
            pinned={usage?.counted.pinned}
            onClear={() => watch('Clearing the result cache', clearCounted('results'))}
          />
          <CountedRow
            store="nodes"
            label="Saved node results"
            title="The last result of each node, shown when a workflow is opened again"
            usage={usage?.counted.nodes}
            onClear={() => watch('Clearing the saved node results', clearCounted('nodes'))}
          />
          <CountedRow
            store="versions"
            label="Version copies"
            title="Versions of workflows and skills seen here, kept to browse them offline; the server keeps them all"
            usage={usage?.versions}
            onClear={() => watch('Clearing the version copies', clearVersionCopies().then(usageReadAgain))}
          />
        </tbody>
      </table>
      <form
        class="storage-budget"
        onSubmit={(e) => {
          e.preventDefault();
          saveBudget();
        }}
      >
        <label>
          Together at most{' '}
          <input type="text" inputMode="decimal" size={8} value={draft} data-testid="storage-budget-input" onInput={(e) => setDraft((e.target as HTMLInputElement).value)} /> MiB
        </label>{' '}
        <button type="submit" data-testid="storage-budget-save" disabled={draft === budgetMib(budget)}>
          Save
        </button>
        <span class="muted" data-testid="storage-budget-used" data-bytes={used} data-budget={budget}>
          {' '}
          {usage ? `${fileSize(used)} of ${fileSize(budget)} used${pinnedBytes > 0 ? `, and ${fileSize(pinnedBytes)} kept for run histories` : ''}` : ''}
        </span>
        {budgetError && (
          <p class="panel-error" role="alert" data-testid="storage-budget-error">
            {budgetError}
          </p>
        )}
      </form>
      <p class="muted">
        Past the budget, the results used longest ago are dropped first (running the node again brings them back). Outputs of runs in a
        workflow’s run history are kept beside the budget while their run is there.
      </p>
      <p data-testid="storage-estimate" data-usage={usage?.estimate?.usage} data-quota={usage?.estimate?.quota}>
        {!usage
          ? 'Reading…'
          : usage.estimate
            ? `This site uses ${fileSize(usage.estimate.usage)} of the ${fileSize(usage.estimate.quota)} the browser allows it, documents and the app’s own files included.`
            : 'This browser does not say how much this site uses.'}
      </p>
    </div>
  );
}

function CountedRow(props: { store: CountedStore | 'versions'; label: string; title: string; usage: StoreUsage | undefined; pinned?: StoreUsage; onClear(): void }) {
  const { store, usage, pinned } = props;
  return (
    <tr data-testid={`storage-${store}`} data-bytes={usage?.bytes} data-entries={usage?.entries} data-pinned-entries={pinned?.entries}>
      <th scope="row" title={props.title}>
        {props.label}
      </th>
      <td>
        {usage ? `${usage.entries} · ${fileSize(usage.bytes)}` : '…'}
        {pinned && pinned.entries > 0 && (
          <span class="muted" title="Outputs of runs in a workflow’s run history: kept while their run is, whatever the budget">
            {' '}
            ({pinned.entries} of them kept for run histories)
          </span>
        )}
      </td>
      <td>
        <ConfirmButton label="Clear" question="Clear them all?" testId={`storage-clear-${store}`} onConfirm={props.onClear} />
      </td>
    </tr>
  );
}
