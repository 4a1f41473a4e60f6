/**
 * One JSON request to a server's REST API as the holder of `token` (none: no Authorization
 * header), answered with its status and parsed body. Bodies are checked field by field by the
 * tests, so the body stays loosely typed.
 */
export async function requestAs(
  base: string,
  token: string | undefined,
  path: string,
  init: { method?: string; body?: unknown } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: await res.json() };
}
