import { useMemo, useState } from 'preact/hooks';
import type { Catalog } from '../documents/catalog';
import { useIdentity, useRooms } from '../documents/hooks';
import { homeVolume, linkOnly, type VolumeRef } from '../documents/identity';
import { dismissSuggestion } from '../evolution/accept-suggestion';
import type { RunSource } from '../evolution/run-traces';
import { MIN_SUPPORT, WINDOW_DAYS } from '../evolution/suggestions';
import { useSuggestions, type MiningState } from '../evolution/use-suggestions';
import { writableVolumes } from './skill-import-preview';
import { SuggestionCard } from './suggestion-card';
import './skill-suggestions.css';

function progressText(working: NonNullable<MiningState['working']>): string {
  switch (working.step) {
    case 'gathering':
      return 'Gathering the runs…';
    case 'reading':
      return 'Reading the library’s compound skills…';
    case 'mining':
      return `Looking for chains that recur in ${working.runs ?? 'the'} runs…`;
    case 'naming':
      return `Found patterns in ${working.runs ?? 'the'} successful runs; describing them…`;
  }
}

const sourceKey = (s: RunSource) => `${s.kind}/${s.volumeId}`;

/**
 * Compound skills the library suggests from the runs: chains of nodes that ran together in at
 * least three successful runs of the last week, to accept (as a compound skill) or dismiss. A
 * team admin may mine the team's shared runs instead of their own. Someone here through a share
 * link only has no volume of their own to mine, save or dismiss in: nothing is shown.
 */
export default function SkillSuggestions({ catalog }: { catalog: Catalog }) {
  return linkOnly(useIdentity()) ? null : <Suggestions catalog={catalog} />;
}

function Suggestions({ catalog }: { catalog: Catalog }) {
  const identity = useIdentity();
  const rooms = useRooms();
  const home = homeVolume(identity);
  const targets = useMemo(() => writableVolumes(identity), [identity]);
  const sources = useMemo((): RunSource[] => [{ kind: 'mine', volumeId: home.volumeId }, ...targets.filter((t) => t.volume === 'team').map((t): RunSource => ({ kind: 'team', volumeId: t.volumeId }))], [targets, home.volumeId]);
  const [source, setSource] = useState<RunSource>(sources[0]!);
  const state = useSuggestions(catalog, source);
  const [notice, setNotice] = useState<string | null>(null);
  const [accepted, setAccepted] = useState(new Set<string>());
  const nameOf = (skillId: string) => catalog.entry(skillId)?.skill?.frontmatter.name ?? skillId;
  const initialTarget: VolumeRef = source.kind === 'team' ? { volume: 'team', volumeId: source.volumeId } : home;
  const { working, done, failure } = state;
  const shown = done ? done.suggestions.filter((s) => !accepted.has(s.key)) : [];
  const phase = working ? 'working' : done ? 'done' : failure ? 'failed' : 'waiting';

  return (
    <section class="skill-suggestions" data-testid="skill-suggestions" data-phase={phase} aria-label="Suggested skills">
      <h3>
        Suggested from {source.kind === 'mine' ? 'your runs' : `team ${source.volumeId}’s runs`}
        {sources.length > 1 && (
          <select aria-label="Whose runs" data-testid="suggestion-source" value={sourceKey(source)} onChange={(e) => setSource(sources.find((s) => sourceKey(s) === (e.target as HTMLSelectElement).value) ?? source)}>
            {sources.map((s) => (
              <option key={sourceKey(s)} value={sourceKey(s)}>
                {s.kind === 'mine' ? 'My runs' : `Team ${s.volumeId}`}
              </option>
            ))}
          </select>
        )}
      </h3>
      {(phase === 'waiting' || working) && (
        <p class="muted" data-testid="suggestions-progress" role="status">
          {working ? progressText(working) : 'Waiting for the library…'}
        </p>
      )}
      {failure && (
        <p class="panel-error" role="alert" data-testid="suggestions-failed">
          {failure}
        </p>
      )}
      {done && !working && shown.length === 0 && (
        <p class="muted" data-testid="suggestions-none">
          Nothing to suggest from {done.runs} successful run{done.runs === 1 ? '' : 's'} of the last {WINDOW_DAYS} days: a chain of nodes is suggested once it has run in {MIN_SUPPORT}.
        </p>
      )}
      {notice && (
        <p class="note" role="status" data-testid="suggestion-notice">
          {notice}
        </p>
      )}
      {shown.length > 0 && (
        <ul class="skill-list">
          {shown.map((s) => (
            <SuggestionCard
              key={s.key}
              suggestion={s}
              nameOf={nameOf}
              targets={targets}
              initialTarget={targets.some((t) => t.volume === initialTarget.volume && t.volumeId === initialTarget.volumeId) ? initialTarget : (targets[0] ?? home)}
              onDismiss={() => {
                setNotice(null);
                dismissSuggestion(rooms, s).catch((e: unknown) => setNotice(`Dismissing failed: ${(e as Error).message}`));
              }}
              onSaved={(message) => {
                setAccepted(new Set(accepted).add(s.key));
                setNotice(message);
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
