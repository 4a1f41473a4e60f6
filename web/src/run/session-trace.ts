import { appendMessage, sessionExists } from '../../../shared/src/documents/session';
import type { RunTrace } from '../../../shared/src/execution/types';
import type { Json } from '../../../shared/src/json';
import { parseRoomName } from '../../../shared/src/rooms';
import { roomMode } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';

const KEY = 'llmunix.currentSession';

/** Remembers the session last opened: the one canvas runs report to. */
export function setCurrentSession(room: string): void {
  localStorage.setItem(KEY, room);
}

/** A line a person can read about a run, linking to the workflow. */
function summarize(trace: RunTrace, workflowRoom: string): string {
  const count = (status: string) => trace.nodes.filter((n) => n.status === status).length;
  const parts = [`${count('done')} done`, `${count('cached')} cached`, `${count('error')} failed`, `${count('skipped')} skipped`].filter((p) => !p.startsWith('0 '));
  const [volume, volumeId, , id] = workflowRoom.split('/');
  return `Ran [a workflow](#/workflow/${volume}/${volumeId}/${id}): ${parts.join(', ') || 'nothing to run'} in ${(trace.durationMs / 1000).toFixed(1)} s.`;
}

/** Attaches a canvas run's trace to the current session as a message's `traces`. */
export async function attachTraceToCurrentSession(rooms: RoomSet, trace: RunTrace, workflowRoom: string): Promise<void> {
  const room = localStorage.getItem(KEY);
  // A session opened with a read share link cannot take the trace: the server would refuse it.
  if (!room || !parseRoomName(room).ok || roomMode(room) === 'read') return;
  await rooms.edit(room, (doc) => {
    if (!sessionExists(doc)) return;
    appendMessage(doc, { role: 'assistant', content: summarize(trace, workflowRoom), timestamp: new Date().toISOString(), traces: [trace as unknown as Json], artifacts: null });
  });
}
