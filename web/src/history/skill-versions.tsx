import { useCallback, useState } from 'preact/hooks';
import * as Y from 'yjs';
import { getSkillSource, skillsOf } from '../../../shared/src/documents/volume-index';
import { lineDiff } from '../../../shared/src/history/changes';
import { decodeSkillContent } from '../../../shared/src/history/content';
import { restoreSkill } from '../../../shared/src/history/restore';
import { skillSubject, type SkillVersionContent, type VersionMeta } from '../../../shared/src/history/version';
import type { Volume } from '../../../shared/src/rooms';
import { useDocValue, useIdentity } from '../documents/hooks';
import { skillRestoreOrigin, skillUndo } from '../editor/skill-undo';
import { SkillDiff } from './skill-diff';
import { useVersions, versionContent } from './use-versions';
import { VersionListView } from './version-list';
import { READ_ONLY_REASON_ID, versionPhrase } from './version-summary';

type Compared = { meta: VersionMeta; state: 'loading' } | { meta: VersionMeta; state: 'open'; content: SkillVersionContent } | { meta: VersionMeta; state: 'failed'; message: string };

/**
 * A skill's versions under its editor: the list (asked for once opened), one version compared
 * with the text as it is now, and, for a skill the person edits, Restore: the skill's text
 * (and files) edited into the version's as this person, one step of their undo in the editor.
 */
export function SkillVersions(props: { volume: Volume; volumeId: string; skillId: string; doc: Y.Doc; editable: boolean; cannotRestore: string }) {
  const { doc, skillId, editable } = props;
  const subject = skillSubject(props.volume, props.volumeId, skillId);
  const identity = useIdentity();
  const [open, setOpen] = useState(false);
  const [compared, setCompared] = useState<Compared | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const list = useVersions(subject, open);
  const readNow = useCallback((d: Y.Doc) => getSkillSource(d, skillId) ?? '', [skillId]);
  const now = useDocValue(doc, readNow, '');

  const load = async (meta: VersionMeta): Promise<SkillVersionContent | string> => {
    const content = await versionContent(subject, meta.id);
    if (!content.ok) return content.error.message;
    try {
      return decodeSkillContent(content.value);
    } catch (e) {
      return (e as Error).message;
    }
  };

  const compare = async (meta: VersionMeta) => {
    setCompared({ meta, state: 'loading' });
    const content = await load(meta);
    setCompared((shown) => (shown?.meta.id !== meta.id ? shown : typeof content === 'string' ? { meta, state: 'failed', message: content } : { meta, state: 'open', content }));
  };

  const restore = async (meta: VersionMeta) => {
    setOutcome(null);
    const content = await load(meta).catch((e: unknown) => (e as Error).message);
    if (typeof content === 'string') return setOutcome({ ok: false, message: `Not restored: ${content}` });
    const text = skillsOf(doc).get(skillId);
    const undo = text instanceof Y.Text ? skillUndo(text) : null;
    // Its own undo step, apart from typing just before or after.
    undo?.stopCapturing();
    try {
      doc.transact(() => restoreSkill(doc, skillId, content), skillRestoreOrigin(skillId));
    } catch (e) {
      return setOutcome({ ok: false, message: (e as Error).message });
    } finally {
      undo?.stopCapturing();
    }
    setOutcome({ ok: true, message: `Restored ${versionPhrase(meta, Date.now())}. Ctrl+Z in the editor takes it back.` });
  };

  const actions = (meta: VersionMeta) => (
    <>
      <button
        type="button"
        class="small"
        data-testid="compare-version"
        aria-label={`Compare ${versionPhrase(meta, Date.now())} with now`}
        onClick={() => void compare(meta)}
        title="Show what differs between this version and the text now"
      >
        Compare with now
      </button>
      <button
        type="button"
        class="small"
        data-testid="restore-version"
        disabled={!editable}
        aria-label={`Restore ${versionPhrase(meta, Date.now())}`}
        aria-describedby={editable ? undefined : READ_ONLY_REASON_ID}
        onClick={() => void restore(meta)}
        title={editable ? 'Make the skill as it was in this version; Ctrl+Z takes it back' : undefined}
      >
        Restore
      </button>
    </>
  );

  return (
    <details class="skill-versions" data-testid="skill-versions" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Versions</summary>
      {outcome && (
        <p class={outcome.ok ? 'restore-outcome' : 'panel-error'} role={outcome.ok ? 'status' : 'alert'} data-testid="restore-outcome">
          {outcome.message}
        </p>
      )}
      {compared && (
        <div class="skill-version-compare" data-testid="skill-version-compare" data-state={compared.state}>
          <div class="version-head">
            <span>
              <strong>{versionPhrase(compared.meta, Date.now())}</strong> against the text now (<span class="diff-removed">removed since</span>, <span class="diff-added">added since</span>)
            </span>
            <button type="button" class="small" onClick={() => setCompared(null)}>
              Close
            </button>
          </div>
          {compared.state === 'loading' && <p class="muted">Loading the version…</p>}
          {compared.state === 'failed' && (
            <p class="panel-error" role="alert">
              {compared.message}
            </p>
          )}
          {compared.state === 'open' && <SkillDiff hunks={lineDiff(compared.content.markdown, now)} />}
        </div>
      )}
      {open && <VersionListView list={list} me={identity.userId} cannotName={editable ? null : props.cannotRestore} selected={compared?.meta.id ?? null} actions={actions} />}
    </details>
  );
}
