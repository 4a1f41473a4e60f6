/**
 * Writes the server refused. A connection that may only read a room (a read share link, or a
 * team member changing a team's skills) still sends its edits; the server drops them and says
 * why with the y-protocols "permission denied" message. The latest refusal per room is kept
 * here until the person dismisses it, so the app can tell them their changes were not saved.
 */
export interface Refusal {
  room: string;
  /** The server's words, e.g. `read-only: your changes to "user/alice/workflow/x" were not saved`. */
  reason: string;
  /** When it arrived (ms since the epoch), to show the latest first. */
  at: number;
}

const latest = new Map<string, Refusal>();
const listeners = new Set<() => void>();
let snapshot: readonly Refusal[] = [];

function changed(): void {
  snapshot = [...latest.values()].sort((a, b) => b.at - a.at);
  for (const l of listeners) l();
}

/** Remembers that the server refused a write to `room`, and why. */
export function recordRefusal(room: string, reason: string): void {
  latest.set(room, { room, reason, at: Date.now() });
  changed();
}

/** Forgets a room's refusal (the person has read it). */
export function dismissRefusal(room: string): void {
  if (latest.delete(room)) changed();
}

/** Every room's latest refusal, newest first. */
export const getRefusals = (): readonly Refusal[] => snapshot;

/** Calls `listener` whenever a refusal arrives or is dismissed; returns the unsubscribe. */
export function onRefusals(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
