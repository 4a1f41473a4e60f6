import type { Store } from './store';

/**
 * Writes the server refused. A connection that may only read a room (a read share link, or a
 * team member changing a team's skills) still sends its edits; the server drops them and says
 * why with the y-protocols "permission denied" message. The latest refusal per room is kept
 * until the person dismisses it, so the app can tell them their changes were not saved.
 */
export interface Refusal {
  room: string;
  /** The server's words, e.g. `read-only: your changes to "user/alice/workflow/x" were not saved`. */
  reason: string;
}

/** Every room's latest refusal, newest first. */
export type Refusals = readonly Refusal[];

/** Remembers that the server refused a write to `room`, and why, in front of the others. */
export function recordRefusal(refusals: Store<Refusals>, room: string, reason: string): void {
  refusals.set([{ room, reason }, ...refusals.get().filter((r) => r.room !== room)]);
}

/** Forgets a room's refusal (the person has read it). */
export function dismissRefusal(refusals: Store<Refusals>, room: string): void {
  const rest = refusals.get().filter((r) => r.room !== room);
  if (rest.length !== refusals.get().length) refusals.set(rest);
}
