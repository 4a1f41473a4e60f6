import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import { identityKey, type Identify } from '../access/identity';

/**
 * Who made a change, for a version's `authors`. A peer's change arrives with its identity
 * (`RoomPeer.who`); a REST call changes rooms in a transaction of its own origin, so the caller's
 * identity rides along in async context from the request to the room's update event, which Yjs
 * raises synchronously inside that transaction.
 */
const restCaller = new AsyncLocalStorage<string>();

/** Runs the rest of the request with its caller as the author of the changes it makes. Mount after authentication. */
export function restAuthor(identify: Identify): RequestHandler {
  return (req, _res, next) => restCaller.run(identityKey(identify(req)), next);
}

/**
 * Runs `fn` with `who` (an `identityKey`) as the author of the changes it makes, for work that
 * changes rooms after its request has moved on (a run's record, written when the run ends).
 */
export const changesBy = <T>(who: string, fn: () => T): T => restCaller.run(who, fn);

/** The identity of the REST call this code runs for, if any. */
export const currentRestCaller = (): string | undefined => restCaller.getStore();

/**
 * How an identity is named among a version's authors: a person by their `sub`, a share link as
 * "share link" (its token names no one), and the server's own changes not at all.
 */
export function authorOf(who: string): string | null {
  if (who.startsWith('user:')) return who.slice('user:'.length);
  if (who.startsWith('share:')) return 'share link';
  return null;
}
