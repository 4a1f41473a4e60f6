import { useState } from 'preact/hooks';
import type { Suggestion } from '../../../shared/src/evolution/suggest';
import type { VolumeRef } from '../documents/identity';
import { Ports } from './skill-card';
import { SuggestionAccept } from './suggestion-accept';
import { SuggestionGraph } from './suggestion-graph';

/** "today", "yesterday", "3 days ago": when a pattern last ran. */
function whenLast(iso: string, now = Date.now()): string {
  const days = Math.floor((now - Date.parse(iso)) / 86_400_000);
  return days <= 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
}

/** One suggested compound skill: its evidence, a drawing of its inside, its ports, and the choice. */
export function SuggestionCard(props: {
  suggestion: Suggestion;
  nameOf: (skillId: string) => string;
  targets: VolumeRef[];
  initialTarget: VolumeRef;
  onDismiss: () => void;
  onSaved: (message: string) => void;
}) {
  const { suggestion: s, nameOf } = props;
  const [accepting, setAccepting] = useState(false);
  const workflows = s.evidence.workflows;
  return (
    <li class="suggestion-card" data-testid="suggestion" data-key={s.key} data-skill-id={s.skill_id}>
      <div class="skill-card-title">
        <strong data-testid="suggestion-title">{s.name}</strong>
        <span class="kind-badge">suggested</span>
      </div>
      <p class="muted" data-testid="suggestion-evidence">
        Ran together in <span data-testid="suggestion-support">{s.support}</span> runs
        {workflows.length > 0 && (
          <>
            {' '}of{' '}
            {workflows.map((w, i) => (
              <span key={w}>
                {i > 0 && ', '}
                <q data-testid="suggestion-workflow">{w}</q>
              </span>
            ))}
          </>
        )}
        , last {whenLast(s.evidence.last_run)}.
      </p>
      <SuggestionGraph suggestion={s} nameOf={nameOf} />
      <Ports label="in" ports={s.inputs} />
      <Ports label="out" ports={s.outputs} />
      {!accepting && (
        <div class="suggestion-actions">
          <button type="button" class="primary" data-testid="suggestion-accept-open" onClick={() => setAccepting(true)}>
            Accept…
          </button>
          <button type="button" data-testid="suggestion-dismiss" title="Not offered again, on any of your devices" onClick={props.onDismiss}>
            Dismiss
          </button>
        </div>
      )}
      {accepting && (
        <SuggestionAccept
          suggestion={s}
          partNames={s.skills.map(nameOf)}
          targets={props.targets}
          initialTarget={props.initialTarget}
          onSaved={props.onSaved}
          onCancel={() => setAccepting(false)}
        />
      )}
    </li>
  );
}
