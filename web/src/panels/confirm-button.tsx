import { useState } from 'preact/hooks';

/** A button for an action that cannot be undone: the first click asks, the second acts. */
export function ConfirmButton(props: { label: string; question: string; testId: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="small danger" data-testid={props.testId} onClick={() => setAsking(true)}>
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
