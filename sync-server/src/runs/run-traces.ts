import fs from 'node:fs/promises';
import path from 'node:path';
import type { Identity } from '../../../shared/src/access';
import type { RunTrace } from '../../../shared/src/execution/types';
import { parseRoomName } from '../../../shared/src/rooms';

/**
 * The traces of the server's runs, for the evolution engine: each run's `RunTrace` is one JSON
 * line of `<traces>/<volume>/<volumeId>/<YYYY-MM-DD>.jsonl`, in the caller's own volume (a person's
 * `user/<sub>`, a share link's room's volume), so `npm run evolve -- <traces>/user/<sub>` mines
 * one person's runs, a day a file.
 */

/** The folder under DATA_DIR that holds the server's run traces. */
export const TRACES_DIR = 'traces';

/** The folder of an identity's traces under the traces directory, or undefined for the server's own runs. */
export function traceFolderOf(identity: Identity): string[] | undefined {
  if (identity.kind === 'user') return ['user', identity.sub];
  if (identity.kind === 'share') {
    const room = parseRoomName(identity.room);
    return room.ok ? [room.value.volume, room.value.volumeId] : undefined;
  }
  return undefined;
}

/** The file a trace is appended to: its folder, and the day (UTC) the run started. */
export function traceFileOf(tracesDir: string, identity: Identity, trace: RunTrace): string | undefined {
  const folder = traceFolderOf(identity);
  return folder && path.join(tracesDir, ...folder, `${trace.startedAt.slice(0, 10)}.jsonl`);
}

/**
 * Appends a trace as one line (a single `appendFile` of one line: concurrent runs' lines never
 * interleave). Throws what the file system said; the caller logs it, since a lost trace must
 * never fail a run.
 */
export async function appendRunTrace(tracesDir: string, identity: Identity, trace: RunTrace): Promise<string | undefined> {
  const file = traceFileOf(tracesDir, identity, trace);
  if (!file) return undefined;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.appendFile(file, `${JSON.stringify(trace)}\n`);
  return file;
}
