import { useEffect, useState } from 'preact/hooks';
import { currentIdentity, readClaims, setIdentity } from '../documents/identity';
import { serverConfig } from './server-config';

/**
 * When the server requires tokens (AUTH_SECRET), asks for one once: pasted here, it is checked
 * with the server and kept in this browser. `npm run token` makes them.
 */
export function SignIn() {
  const [required, setRequired] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (currentIdentity.get().token) return;
    void serverConfig().then((c) => setRequired(Boolean(c?.auth_required)));
  }, []);
  if (!required) return null;
  const submit = async () => {
    const token = draft.trim();
    const sub = readClaims(token)?.sub;
    if (typeof sub !== 'string') return setError('That is not a sign-in token (it names no user).');
    const res = await fetch('/api/sessions', { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
    if (!res) return setError('The server cannot be reached; try again when online.');
    if (res.status === 401) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      return setError(body?.error?.message ?? 'The server refused that token.');
    }
    setIdentity({ token, userId: sub });
    location.reload();
  };
  return (
    <form
      class="sign-in"
      data-testid="sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <span>This server asks who you are: paste your token.</span>
      <input type="password" data-testid="sign-in-token" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
      <button type="submit">Sign in</button>
      {error && (
        <span class="sign-in-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
