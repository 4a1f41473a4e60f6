import { addRun, type RunRecord } from '../../../shared/src/documents/runs';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import type { RunReport } from '../../../shared/src/execution/types';
import { parseRoomName, runsRoomOf } from '../../../shared/src/rooms';
import { currentIdentity, roomMode } from '../documents/identity';
import { roomDbName, type RoomSet } from '../documents/rooms';
import { forgetRunsKeys, keysOfRunsRoom, trackRunsDoc } from './pinned-runs';
import { runRecordOf, type RunFacts } from '../../../shared/src/execution/run-record';

/** Where RoomSet keeps each room's local copy (the database of the room named ''). */
const DB_PREFIX = roomDbName('');
/** The runs rooms this browser has written or opened, for browsers that cannot list their databases. */
const KNOWN_KEY = 'llmunix.runsRooms';

function knownRunsRooms(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(KNOWN_KEY) ?? '[]') as unknown;
    return Array.isArray(saved) ? saved.filter((r): r is string => typeof r === 'string' && isRunsRoom(r)) : [];
  } catch {
    return [];
  }
}

const isRunsRoom = (room: string): boolean => {
  const parsed = parseRoomName(room);
  return parsed.ok && parsed.value.kind === 'runs';
};

/** Remembers that this browser holds a runs room (so `pinnedCacheKeys` finds it). */
export function rememberRunsRoom(room: string): void {
  const known = knownRunsRooms();
  if (known.includes(room)) return;
  try {
    localStorage.setItem(KNOWN_KEY, JSON.stringify([...known, room]));
  } catch {
    // Storage refused: indexedDB.databases() still lists the room where the browser has it.
  }
}

/** Forgets that this browser holds a runs room (its workflow was deleted for good). */
export function forgetRunsRoom(room: string): void {
  forgetRunsKeys(room);
  const known = knownRunsRooms();
  if (!known.includes(room)) return;
  try {
    localStorage.setItem(KNOWN_KEY, JSON.stringify(known.filter((r) => r !== room)));
  } catch {
    // Storage refused: the room's database is gone anyway, so nothing is read from it.
  }
}

/**
 * Adds a finished run to its workflow's run history room, as this person's change (synced to
 * collaborators like any edit). A run that did not start (validation issues) is not one; a
 * workflow opened with a read link has no writable history (the server would refuse the
 * record), so none is written there.
 */
export async function recordRun(
  rooms: RoomSet,
  report: RunReport,
  graph: WorkflowGraph,
  facts: Omit<RunFacts, 'id' | 'by' | 'finishedAt'>,
): Promise<RunRecord | null> {
  const runsRoom = runsRoomOf(facts.workflowRoom);
  if (!runsRoom || report.issues.length > 0 || roomMode(runsRoom) === 'read') return null;
  const { userId, name } = currentIdentity.get();
  const record = runRecordOf(report, graph, { ...facts, id: report.trace.id, by: { sub: userId, name }, finishedAt: Date.now() });
  rememberRunsRoom(runsRoom);
  await rooms.edit(runsRoom, (doc) => {
    addRun(doc, record);
    trackRunsDoc(runsRoom, doc);
  });
  return record;
}

/** The runs rooms whose copies this browser holds in IndexedDB. */
async function heldRunsRooms(): Promise<string[]> {
  const listed = typeof indexedDB.databases === 'function' ? await indexedDB.databases().catch(() => []) : [];
  const fromDatabases = listed.flatMap((d) => (d.name?.startsWith(DB_PREFIX) && isRunsRoom(d.name.slice(DB_PREFIX.length)) ? [d.name.slice(DB_PREFIX.length)] : []));
  return [...new Set([...fromDatabases, ...knownRunsRooms()])];
}

/**
 * The result cache keys of the runs kept in the run histories this browser holds: their outputs
 * must stay in the cache while their run is in a history (the storage budget keeps them).
 * Collaborators' runs count too, as far as they have synced here.
 */
export async function pinnedCacheKeys(): Promise<Set<string>> {
  const keys = new Set<string>();
  // A room that cannot be read throws: not knowing its runs, the budget drops nothing.
  for (const room of await heldRunsRooms()) for (const key of await keysOfRunsRoom(room)) keys.add(key);
  return keys;
}
