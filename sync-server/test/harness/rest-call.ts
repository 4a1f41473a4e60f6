/** A REST answer: its status and its JSON body, checked field by field by the tests, so loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RestAnswer = { status: number; json: any };

/** Calls the REST API of a server at `baseUrl`, with a JSON body and a bearer token when given. */
export async function restCall(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<RestAnswer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
