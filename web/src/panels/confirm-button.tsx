import { useId, useState } from 'preact/hooks';

/**
 * A button for an action that cannot be undone: the first click asks, the second acts. With
 * `disabledBecause`, it is disabled and says why in visible text beside it (a tooltip reaches
 * neither the keyboard nor a screen reader), unless `describedBy` names an element on the page
 * that already says it. `accessibleName` tells repeated buttons apart ("Delete “Study” forever").
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  testId: string;
  onConfirm: () => void;
  disabledBecause?: string | null;
  describedBy?: string;
  accessibleName?: string;
}) {
  const [asking, setAsking] = useState(false);
  const reasonId = useId();
  if (!asking || props.disabledBecause) {
    const ownReason = props.disabledBecause && !props.describedBy;
    return (
      <>
        <button
          type="button"
          class="small danger"
          data-testid={props.testId}
          disabled={Boolean(props.disabledBecause)}
          aria-label={props.accessibleName}
          aria-describedby={props.disabledBecause ? (props.describedBy ?? reasonId) : undefined}
          onClick={() => setAsking(true)}
        >
          {props.label}
        </button>
        {ownReason && (
          <span id={reasonId} class="muted disabled-reason" data-testid={`${props.testId}-why`}>
            {props.disabledBecause}
          </span>
        )}
      </>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.accessibleName}>
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
