import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { VersionMeta } from '../../../shared/src/history/version';
import { useSyncStatus } from '../documents/hooks';
import { useNow } from '../panels/clock';
import type { VersionList } from './use-versions';
import { authorsText, changesText, READ_ONLY_REASON_ID, versionTitle, whenText } from './version-summary';
import './history.css';

/** Names are kept to what the server takes. */
const NAME_MAX = 200;

/**
 * A subject's versions as a list (newest first: title, time, authors, what changed), what the
 * list's state is (loading, the server's refusal, this browser's copy shown offline) and, where
 * the person may write, a field to name the subject as it is now. Each version's buttons are
 * the caller's.
 */
export function VersionListView(props: {
  list: VersionList;
  /** The reader's identity, marked among the authors. */
  me: string;
  /** Why this person cannot name a version here (a read link), or null when they can. */
  cannotName: string | null;
  /** The version shown apart (previewed or compared), if any. */
  selected: string | null;
  actions: (meta: VersionMeta) => ComponentChildren;
}) {
  const { list, me, selected } = props;
  const { state } = useSyncStatus();
  const offline = state === 'offline';
  // "3 min ago" stays true while the list is open.
  const ticked = useNow();
  const [now, setNow] = useState(ticked);
  useEffect(() => setNow(ticked), [ticked]);
  // Back online: the server may have taken versions meanwhile.
  const wasState = useRef(state);
  useEffect(() => {
    if (state === 'synced' && wasState.current !== 'synced') list.refresh();
    wasState.current = state;
  }, [state, list.refresh]);
  useEffect(() => setNow(Date.now()), [list.versions]);

  return (
    <div class="version-list" data-testid="version-list" data-loading={list.loading ? 'true' : 'false'}>
      <NameForm list={list} offline={offline} cannotName={props.cannotName} />
      {list.failure && (
        <p class="panel-error" role="alert" data-testid="versions-failure" data-kind={list.failure.kind}>
          {list.failure.message}
          {list.cachedAt !== null && ` This list is as of ${new Date(list.cachedAt).toLocaleString()}.`}
        </p>
      )}
      {list.versions === null && list.loading && <p class="muted" data-testid="versions-loading">Loading versions…</p>}
      {list.versions !== null && list.versions.length === 0 && (
        <p class="muted" data-testid="versions-empty">
          No versions yet. One is taken on its own a little while after each round of edits, or name one above.
        </p>
      )}
      {list.versions && list.versions.length > 0 && (
        <ol class="versions">
          {list.versions.map((v) => (
            <li key={v.id} class={v.id === selected ? 'version selected' : 'version'} data-testid="version" data-id={v.id} data-named={v.name === null ? 'false' : 'true'}>
              <div class="version-head">
                <strong class={v.name === null ? 'version-title checkpoint' : 'version-title'} data-testid="version-title">
                  {versionTitle(v)}
                </strong>
                <time dateTime={v.created_at} title={new Date(v.created_at).toLocaleString()}>
                  {whenText(v.created_at, now)}
                </time>
              </div>
              <div class="muted" data-testid="version-authors">
                by {authorsText(v.authors, me)}
              </div>
              <div class="version-changes" data-testid="version-changes">
                {changesText(v.changes)}
              </div>
              <div class="version-actions">{props.actions(v)}</div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function NameForm({ list, offline, cannotName }: { list: VersionList; offline: boolean; cannotName: string | null }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const why = cannotName ?? (offline ? 'Naming a version needs the server: you are offline. The versions this browser has seen are listed below.' : null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const label = name.trim();
    if (!label || why) return;
    setBusy(true);
    try {
      const made = await list.name(label);
      if (made.ok) setName('');
      setOutcome(made.ok ? { ok: true, message: `Named "${made.value.name ?? label}".` } : { ok: false, message: made.error.message });
    } catch (e) {
      setOutcome({ ok: false, message: `Not named: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="version-name-form" onSubmit={(e) => void submit(e)}>
      <input
        type="text"
        data-testid="version-name"
        aria-label="Version name"
        placeholder="Name this version, e.g. before the refactor"
        maxLength={NAME_MAX}
        value={name}
        disabled={why !== null || busy}
        onInput={(e) => setName((e.target as HTMLInputElement).value)}
      />
      <button
        type="submit"
        data-testid="name-version"
        disabled={why !== null || busy || name.trim() === ''}
        aria-describedby={why ? READ_ONLY_REASON_ID : undefined}
        title="Keep the current state under this name; named versions are never dropped"
      >
        {busy ? 'Naming…' : 'Name this version'}
      </button>
      {why && (
        <p class="muted" id={READ_ONLY_REASON_ID} data-testid="name-version-unavailable">
          {why}
        </p>
      )}
      {outcome && (
        <p class={outcome.ok ? 'muted' : 'panel-error'} role={outcome.ok ? 'status' : 'alert'} data-testid="name-version-outcome">
          {outcome.message}
        </p>
      )}
    </form>
  );
}
