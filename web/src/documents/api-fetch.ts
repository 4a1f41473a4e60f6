import { err, ok, type Result } from '../../../shared/src/result';

/** Why a call to the server's API gave no success: unreachable (`status` null), or its refusal. */
export interface ApiFailure {
  /** The HTTP status, or null when the server could not be reached. */
  status: number | null;
  /** The server's own words (`{ error: { message } }`, sync-server/src/http/errors.ts), when it said any. */
  said: string | null;
}

/**
 * Calls the server's REST API with a bearer token (when there is one): the response when it
 * succeeded, else what went wrong, with the server's message read from the body. Each caller
 * words the failure for the person.
 */
export async function apiFetch(path: string, token: string | undefined, init: RequestInit = {}): Promise<Result<Response, ApiFailure>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  } catch {
    return err({ status: null, said: null });
  }
  if (response.ok) return ok(response);
  const body = (await response.json().catch(() => null)) as { error?: { message?: unknown } } | null;
  const said = typeof body?.error?.message === 'string' && body.error.message ? body.error.message : null;
  return err({ status: response.status, said });
}
