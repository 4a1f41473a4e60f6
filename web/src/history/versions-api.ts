import { parseSubject, type VersionMeta } from '../../../shared/src/history/version';
import { err, ok, type Result } from '../../../shared/src/result';
import { apiFetch } from '../documents/api-fetch';
import { tokenFor } from '../documents/identity';
import { isVersionMeta } from './version-meta-check';

/** Why the server did not give what was asked, in words for the person. */
export interface VersionsFailure {
  kind: 'unreachable' | 'no-access' | 'not-found' | 'refused';
  message: string;
}

/**
 * The token a subject's versions are asked for with: the room's share link's, else the
 * person's own. A skill's versions follow its volume, so the volume index room's token.
 */
function tokenOf(subject: string): string | undefined {
  const parsed = parseSubject(subject);
  return tokenFor(parsed.ok ? parsed.value.room : subject);
}

async function request(subject: string, path: string, init: RequestInit = {}): Promise<Result<Response, VersionsFailure>> {
  const answer = await apiFetch(path, tokenOf(subject), init);
  if (answer.ok) return answer;
  const { status, said: words } = answer.error;
  if (status === null) return err({ kind: 'unreachable', message: 'The server cannot be reached. Versions live on the server: what this browser has seen before is shown.' });
  const said = words ? ` The server said: ${words}` : '';
  if (status === 401 || status === 403) {
    return err({ kind: 'no-access', message: `You do not have access to these versions (or this action on them).${said}` });
  }
  if (status === 404) return err({ kind: 'not-found', message: `The server does not have this version.${said}` });
  // A server without the history feature answers the SPA's index.html or a 5xx: either way it is the server's refusal.
  return err({ kind: 'refused', message: `The server answered ${status}.${said} Try again in a moment.` });
}

/** `GET /api/versions?room=`: the subject's versions, newest first. */
export async function fetchVersions(subject: string): Promise<Result<VersionMeta[], VersionsFailure>> {
  const answer = await request(subject, `/api/versions?room=${encodeURIComponent(subject)}`);
  if (!answer.ok && answer.error.kind === 'not-found') return err({ kind: 'refused', message: 'This server keeps no versions: it may be an older release of LLMunix.' });
  if (!answer.ok) return answer;
  const body = (await answer.value.json().catch(() => null)) as { versions?: VersionMeta[] } | null;
  if (!Array.isArray(body?.versions)) return err({ kind: 'refused', message: 'The server sent no list of versions: it may be an older release without history.' });
  return ok(body.versions);
}

/** `POST /api/versions`: keeps the subject as it is now under a name. */
export async function nameVersion(subject: string, name: string): Promise<Result<VersionMeta, VersionsFailure>> {
  const answer = await request(subject, '/api/versions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ room: subject, name }),
  });
  if (!answer.ok && answer.error.kind === 'not-found') return err({ kind: 'not-found', message: 'There is nothing to name yet: the server has no content here. Make a change first.' });
  if (!answer.ok) return answer;
  const made: unknown = await answer.value.json().catch(() => null);
  if (!isVersionMeta(made)) return err({ kind: 'refused', message: 'The server did not say which version it made: it may be an older release without history. Refresh the list to see whether it is there.' });
  return ok(made);
}

/** `GET /api/versions/:id/raw`: a version's content as stored (a Yjs update, or a skill's JSON). */
export async function fetchVersionContent(subject: string, id: string): Promise<Result<Uint8Array, VersionsFailure>> {
  const answer = await request(subject, `/api/versions/${encodeURIComponent(id)}/raw`);
  if (!answer.ok) return answer;
  // The connection may drop while the body is still arriving.
  const body = await answer.value.arrayBuffer().catch(() => null);
  if (!body) return err({ kind: 'unreachable', message: 'The connection to the server dropped while the version was arriving. Try again.' });
  return ok(new Uint8Array(body));
}
