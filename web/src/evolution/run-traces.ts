import { readMessages } from '../../../shared/src/documents/session';
import { getWorkflowListing, listSessions } from '../../../shared/src/documents/volume-index';
import { parseRoomName, sessionRoom, volumeRoom, type Volume } from '../../../shared/src/rooms';
import { apiFetch } from '../documents/api-fetch';
import { tokenFor } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { readRoom } from '../panels/room-access';
import { listTraces } from '../run/run-store';

/** Whose runs are mined: this person's, or (for a team admin) the runs shared in a team's sessions. */
export type RunSource = { kind: 'mine'; volumeId: string } | { kind: 'team'; volumeId: string };

const DAY_MS = 86_400_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The traces attached to a volume's sessions that were active in the window. */
async function sessionTraces(rooms: RoomSet, volume: Volume, volumeId: string, since: number): Promise<unknown[]> {
  const sessions = await readRoom(rooms, volumeRoom(volume, volumeId), listSessions);
  // A session last updated before the window cannot hold a run inside it.
  const recent = sessions.filter((s) => !(Date.parse(s.updated_at) < since));
  const traces = await Promise.all(recent.map((s) => readRoom(rooms, sessionRoom(volume, volumeId, s.id), (doc) => readMessages(doc).flatMap((m) => m.traces ?? []))));
  return traces.flat();
}

/**
 * The traces of the runs the server made for a volume: other assistants' tool calls (MCP) and
 * scripts' workflow runs (REST), which no browser saw. Offline, or from a server that keeps none,
 * there are none: the runs this browser knows are mined all the same.
 */
async function serverTraces(volume: Volume, volumeId: string, days: number): Promise<unknown[]> {
  const query = new URLSearchParams({ volume, volume_id: volumeId, days: String(days) });
  const answer = await apiFetch(`/api/traces?${query}`, tokenFor(volumeRoom(volume, volumeId)));
  if (!answer.ok) return [];
  const body = (await answer.value.json().catch(() => null)) as { traces?: unknown } | null;
  return Array.isArray(body?.traces) ? body.traces : [];
}

/**
 * Puts each trace's workflow name in place of its room, as the library and the suggestion's
 * description name them; a workflow that is gone keeps being told apart by its id.
 */
async function nameWorkflows(rooms: RoomSet, traces: Array<Record<string, unknown>>): Promise<unknown[]> {
  // The workflows' ids by the volume index that lists them: each index is read once.
  const byVolume = new Map<string, Map<string, string>>();
  for (const t of traces) {
    const parsed = typeof t.workflow === 'string' ? parseRoomName(t.workflow) : undefined;
    if (!parsed?.ok || parsed.value.kind !== 'workflow') continue;
    const { volume, volumeId, id } = parsed.value;
    const index = volumeRoom(volume, volumeId);
    if (!byVolume.has(index)) byVolume.set(index, new Map());
    byVolume.get(index)!.set(t.workflow as string, id);
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...byVolume].map(async ([index, workflows]) => {
      const listed = await readRoom(rooms, index, (doc) => new Map([...workflows].map(([room, id]) => [room, getWorkflowListing(doc, id)?.name]))).catch(() => undefined);
      for (const [room, id] of workflows) names.set(room, listed?.get(room) || `workflow ${id.slice(0, 8)}`);
    }),
  );
  return traces.map((t) => (typeof t.workflow === 'string' && names.has(t.workflow) ? { ...t, workflow: names.get(t.workflow) } : t));
}

/**
 * The runs to mine, each once (a run kept in this browser and attached to a session is one run):
 * for this person, the traces this browser kept, those in their sessions (runs on their other
 * devices) and those of the runs the server made for them (MCP, REST); for a team, the traces in
 * the team's sessions and of the server's runs through the team's share links.
 */
export async function gatherTraces(rooms: RoomSet, source: RunSource, days: number, now: number): Promise<unknown[]> {
  const since = now - days * DAY_MS;
  const volume = source.kind === 'mine' ? 'user' : 'team';
  const [local, shared, server] = await Promise.all([
    source.kind === 'mine' ? listTraces().catch((): unknown[] => []) : Promise.resolve([]),
    sessionTraces(rooms, volume, source.volumeId, since),
    serverTraces(volume, source.volumeId, days),
  ]);
  const byId = new Map<string, Record<string, unknown>>();
  for (const t of [...local, ...shared, ...server]) if (isObject(t) && typeof t.id === 'string' && !byId.has(t.id)) byId.set(t.id, t);
  return nameWorkflows(rooms, [...byId.values()]);
}
