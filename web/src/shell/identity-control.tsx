import { useIdentity } from '../documents/hooks';
import { setIdentity } from '../documents/identity';

/** The name and colour collaborators see on your cursor and selections. */
export function IdentityControl() {
  const identity = useIdentity();
  return (
    <label class="identity" title="Your name and colour, as collaborators see them">
      <input
        type="color"
        value={identity.color}
        aria-label="Your colour"
        onInput={(e) => setIdentity({ color: (e.target as HTMLInputElement).value })}
      />
      <input
        type="text"
        value={identity.name}
        aria-label="Your name"
        data-testid="identity-name"
        maxLength={40}
        onChange={(e) => setIdentity({ name: (e.target as HTMLInputElement).value.trim() || identity.name })}
      />
    </label>
  );
}
