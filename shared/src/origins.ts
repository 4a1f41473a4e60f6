/**
 * Every Yjs transaction is tagged with where it came from, so mirrors never echo and undo
 * tracks only a person's own edits. Connection origins are the connection objects themselves.
 */
export const ORIGIN = {
  local: 'local',
  assistant: 'assistant',
  rest: 'rest',
  restore: 'restore',
  systemLoader: 'system-loader',
  redis: 'redis',
  /** The server's own trash expiry, forgetting the entries it purged. */
  trashExpiry: 'trash-expiry',
} as const;

export type NamedOrigin = (typeof ORIGIN)[keyof typeof ORIGIN];
