import { useState } from 'preact/hooks';

/**
 * A button for an action that cannot be undone: the first click asks, the second acts. With
 * `disabledBecause`, it is disabled and says why.
 */
export function ConfirmButton(props: { label: string; question: string; testId: string; onConfirm: () => void; disabledBecause?: string | null }) {
  const [asking, setAsking] = useState(false);
  if (!asking || props.disabledBecause) {
    return (
      <button
        type="button"
        class="small danger"
        data-testid={props.testId}
        disabled={Boolean(props.disabledBecause)}
        title={props.disabledBecause ?? undefined}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group">
      {props.question}{' '}
      <button
        type="button"
        class="small danger"
        data-testid={`${props.testId}-confirm`}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        Yes
      </button>{' '}
      <button type="button" class="small" onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
}
