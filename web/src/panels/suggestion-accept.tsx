import { useEffect, useRef, useState } from 'preact/hooks';
import type { Suggestion } from '../../../shared/src/evolution/suggest';
import { useIdentity, useRooms } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import { acceptSuggestion } from '../evolution/accept-suggestion';
import { nameWithAssistant } from '../evolution/assistant-name';
import { useServerConfig } from '../shell/server-config';

const volumeKey = (v: VolumeRef) => `${v.volume}/${v.volumeId}`;

/**
 * Accepting a suggestion: its name (from its parts, editable, or the assistant's when the server
 * has an API key), its description, and the volume it goes to (a team admin may choose the team's).
 */
export function SuggestionAccept(props: {
  suggestion: Suggestion;
  partNames: string[];
  targets: VolumeRef[];
  initialTarget: VolumeRef;
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const { suggestion: s } = props;
  const rooms = useRooms();
  const identity = useIdentity();
  const config = useServerConfig();
  const [name, setName] = useState(s.name);
  const [description, setDescription] = useState('');
  const [target, setTarget] = useState(props.initialTarget);
  const [busy, setBusy] = useState<'naming' | 'saving' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const asking = useRef<AbortController | null>(null);
  useEffect(() => () => asking.current?.abort(), []);

  const askAssistant = () => {
    asking.current?.abort();
    const controller = (asking.current = new AbortController());
    setBusy('naming');
    setFailure(null);
    nameWithAssistant(s, props.partNames, identity.token, controller.signal).then(
      (named) => {
        setName(named.name);
        setDescription(named.description);
      },
      (e: unknown) => !controller.signal.aborted && setFailure((e as Error).message),
    ).finally(() => setBusy(null));
  };

  const save = () => {
    if (name.trim() === '') return setFailure('Give the skill a name.');
    setBusy('saving');
    setFailure(null);
    acceptSuggestion(rooms, target, s, name, description).then(
      (id) => props.onSaved(`Saved “${name.trim()}” (${id}) to ${target.volume === 'user' ? 'your skills' : `team ${target.volumeId}`}.`),
      (e: unknown) => {
        setBusy(null);
        setFailure(`Saving the skill failed: ${(e as Error).message}`);
      },
    );
  };

  return (
    <form
      class="suggestion-accept"
      data-testid="suggestion-accept"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label>
        <span class="muted">Name</span>
        <input value={name} maxLength={100} data-testid="suggestion-name-input" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        <span class="muted">Description (optional)</span>
        <input value={description} data-testid="suggestion-description-input" onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
      </label>
      {props.targets.length > 1 && (
        <select aria-label="Save to" data-testid="suggestion-target" value={volumeKey(target)} onChange={(e) => setTarget(props.targets.find((t) => volumeKey(t) === (e.target as HTMLSelectElement).value) ?? target)}>
          {props.targets.map((t) => (
            <option key={volumeKey(t)} value={volumeKey(t)}>
              {t.volume === 'user' ? 'My skills' : `Team ${t.volumeId}`}
            </option>
          ))}
        </select>
      )}
      <div class="suggestion-actions">
        <button type="submit" class="primary" data-testid="suggestion-save" disabled={busy !== null}>
          {busy === 'saving' ? 'Saving…' : 'Save skill'}
        </button>
        {config?.chat_configured && (
          <button type="button" data-testid="suggestion-ask-name" disabled={busy !== null} onClick={askAssistant}>
            {busy === 'naming' ? 'Asking the assistant…' : 'Name it with the assistant'}
          </button>
        )}
        <button type="button" data-testid="suggestion-cancel" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      {failure && (
        <p class="panel-error" role="alert" data-testid="suggestion-failure">
          {failure}
        </p>
      )}
    </form>
  );
}
