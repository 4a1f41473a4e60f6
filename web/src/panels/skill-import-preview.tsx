import { useMemo, useState } from 'preact/hooks';
import { listSkillSources } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { useCatalog } from '../documents/catalog';
import { useDocValue, useIdentity, useRoom, useRooms } from '../documents/hooks';
import { homeVolume, linkOnly, readClaims, type Identity, type VolumeRef } from '../documents/identity';
import { useFailure } from './home-index';
import { CompoundBadge, CompoundUses } from './skill-badges';
import { fileSize } from './skill-files-view';
import type * as ImportModule from './skill-import';
import type { Conflict, ImportPreview } from './skill-import';

const NO_SKILLS = new Map<string, string>();

/** The volumes this person may add skills to: their own, and the teams they administer. */
export function writableVolumes(identity: Identity): VolumeRef[] {
  const admin = identity.token ? readClaims(identity.token)?.team_admin : undefined;
  const teams = Array.isArray(admin) ? admin.filter((t): t is string => typeof t === 'string') : [];
  return [...(linkOnly(identity) ? [] : [homeVolume(identity)]), ...teams.map((volumeId): VolumeRef => ({ volume: 'team', volumeId }))];
}

const volumeKey = (v: VolumeRef) => `${v.volume}/${v.volumeId}`;

const toggled = (set: ReadonlySet<string>, id: string, on: boolean): Set<string> => {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
};

/** A carried skill the library already has elsewhere: reported, left out unless kept. */
function PresentNote({ skillId, present, kept, onKeep }: { skillId: string; present: ImportModule.PresentSkill; kept: boolean; onKeep: (keep: boolean) => void }) {
  const where = present.volume.volume === 'system' ? 'the system skills' : `team ${present.volume.volumeId}`;
  return (
    <div class="note" data-testid="import-present" data-same={present.same}>
      “{skillId}” is already in {where}
      {present.same ? ', the same text' : ', with another text'}: the compound skill uses that one, and this copy is not saved.
      <label>
        <input type="checkbox" checked={kept} data-testid="import-keep-carried" onChange={(e) => onKeep((e.target as HTMLInputElement).checked)} /> Save this copy too (yours is used
        in place of that one in your workflows)
      </label>
    </div>
  );
}

/**
 * What an import would bring in, for the person to check before anything is saved: each skill with
 * its kind, files and warnings, the refusals with line and field, and a choice for each skill
 * whose id the chosen volume already has. Saving writes every skill in one step (one undo).
 */
export function SkillImportPreview(props: { preview: ImportPreview; load: typeof ImportModule; onClose: (saved: string | null) => void }) {
  const { preview, load } = props;
  const identity = useIdentity();
  const targets = useMemo(() => writableVolumes(identity), [identity]);
  const [target, setTarget] = useState<VolumeRef | undefined>(targets[0]);
  const room = useRoom(target ? volumeRoom(target.volume, target.volumeId) : null);
  const existing = useDocValue(room?.doc, listSkillSources, NO_SKILLS);
  const [choices, setChoices] = useState(new Map<string, Conflict>());
  const rooms = useRooms();
  const catalog = useCatalog(rooms);
  const present = useMemo(() => load.carriedPresent(preview.skills, catalog.entries, target), [load, preview, catalog, target]);
  const [keepCarried, setKeepCarried] = useState(new Set<string>());
  const included = preview.skills.filter((s) => !present.has(s.skillId) || keepCarried.has(s.skillId));
  const { failure, watch } = useFailure();
  const conflicts = included.filter((s) => existing.has(s.skillId));
  const undecided = conflicts.filter((s) => !choices.has(s.skillId)).length;
  const choose = (id: string, c: Conflict) => setChoices(new Map(choices).set(id, c));

  const save = () => {
    if (!target || undecided > 0) return;
    const chosen = load.skillsToSave(included, new Set(existing.keys()), choices);
    const where = target.volume === 'user' ? 'your skills' : `team ${target.volumeId}`;
    watch(
      'Saving the imported skills',
      rooms.edit(volumeRoom(target.volume, target.volumeId), (doc) => load.saveImported(doc, chosen)).then(() => props.onClose(`${chosen.length} skill${chosen.length === 1 ? '' : 's'} saved to ${where}.`)),
    );
  };

  return (
    <section class="skill-import" data-testid="import-preview" aria-label="Skills to import">
      <h3>Import {preview.skills.length} skill{preview.skills.length === 1 ? '' : 's'}</h3>
      {targets.length === 0 && <p class="panel-error">You have no volume you may add skills to: sign in to bring skills into your own.</p>}
      <div class="create-row">
        {targets.length > 1 && (
          <select aria-label="Save to" data-testid="import-target" value={target ? volumeKey(target) : ''} onChange={(e) => setTarget(targets.find((t) => volumeKey(t) === (e.target as HTMLSelectElement).value))}>
            {targets.map((t) => (
              <option key={volumeKey(t)} value={volumeKey(t)}>
                {t.volume === 'user' ? 'My skills' : `Team ${t.volumeId}`}
              </option>
            ))}
          </select>
        )}
        <button type="button" class="primary" data-testid="import-save" disabled={!target || !room || included.length === 0 || undecided > 0} onClick={save} title={undecided > 0 ? 'Choose replace or keep both for each skill that is already there' : undefined}>
          Save {included.length > 0 ? included.length : ''}
        </button>
        <button type="button" data-testid="import-cancel" onClick={() => props.onClose(null)}>
          Cancel
        </button>
      </div>
      {undecided > 0 && (
        <p class="note" data-testid="import-undecided">
          {undecided} of these {undecided === 1 ? 'is' : 'are'} already there: choose “Replace it” or “Keep both” for each below.
        </p>
      )}
      <ul class="import-list">
        {preview.skills.map((s) => (
          <li key={s.skillId} data-testid="import-skill" data-skill-id={s.skillId} data-kind={s.skill.kind}>
            <div class="skill-card-title">
              <strong>{s.skill.frontmatter.name}</strong> <code>{s.skillId}</code>
              {s.skill.kind === 'compound' ? (
                <CompoundBadge inside={s.skill.inside} />
              ) : (
                <span class={s.skill.kind === 'instruction' ? 'kind-badge' : 'muted'} data-testid="import-kind">
                  {s.skill.kind === 'instruction' ? 'instructions' : s.skill.frontmatter.type}
                </span>
              )}
            </div>
            <p class="muted">
              from {s.origin}
              {s.carriedBy && (
                <span data-testid="import-carried">
                  {' '}
                  · carried by <code>{s.carriedBy}</code>, which uses it
                </span>
              )}
            </p>
            {s.skill.kind === 'compound' && <CompoundUses inside={s.skill.inside} />}
            {present.has(s.skillId) && <PresentNote skillId={s.skillId} present={present.get(s.skillId)!} kept={keepCarried.has(s.skillId)} onKeep={(keep) => setKeepCarried(toggled(keepCarried, s.skillId, keep))} />}
            {s.files.length > 0 && (
              <ul class="file-list" data-testid="import-files">
                {[...s.files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => (
                  <li key={f.path}>
                    <code>{f.path}</code> <span class="muted">{fileSize(f.bytes.byteLength)}</span>
                  </li>
                ))}
              </ul>
            )}
            {s.warnings.length > 0 && (
              <ul class="skill-warnings" data-testid="import-warnings">
                {s.warnings.map((w, i) => (
                  <li key={i}>{load.refusalText(w)}</li>
                ))}
              </ul>
            )}
            {existing.has(s.skillId) && (
              <fieldset class="conflict" data-testid="import-conflict">
                <legend>There is already a skill “{s.skillId}” there.</legend>
                <label>
                  <input type="radio" name={`conflict-${s.skillId}`} checked={choices.get(s.skillId) === 'replace'} onChange={() => choose(s.skillId, 'replace')} data-testid="import-replace" /> Replace it
                </label>
                <label>
                  <input type="radio" name={`conflict-${s.skillId}`} checked={choices.get(s.skillId) === 'keep-both'} onChange={() => choose(s.skillId, 'keep-both')} data-testid="import-keep-both" /> Keep
                  both (this one gets a new id)
                </label>
              </fieldset>
            )}
          </li>
        ))}
      </ul>
      {preview.refused.length > 0 && (
        <div class="panel-error" data-testid="import-refused">
          Not brought in:
          <ul>
            {preview.refused.map((r) => (
              <li key={r.origin}>
                <code>{r.origin}</code>
                <ul>
                  {r.errors.map((e, i) => (
                    <li key={i}>{load.refusalText(e)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview.unreadable.map((u) => (
        <p key={u.path} class="panel-error" data-testid="import-unreadable">
          <code>{u.path}</code>: {u.reason}
        </p>
      ))}
      {preview.skipped.length > 0 && (
        <details data-testid="import-skipped">
          <summary class="muted">{preview.skipped.length} file(s) left out</summary>
          <ul>
            {preview.skipped.map((s) => (
              <li key={s.path}>
                <code>{s.path}</code>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {failure && (
        <p class="panel-error" role="alert">
          {failure}
        </p>
      )}
    </section>
  );
}
