import { isValidId, LOCAL_USER_ID, SYSTEM_VOLUME_ID, workflowRoomOfRuns, type Volume } from '../../../shared/src/rooms';
import { createStore, type ReadonlyStore } from './store';

/** Who is using this browser: a name and colour picked here, kept in localStorage. */
export interface Identity {
  /** The user id whose volume is "mine": `default` in single-user local mode. */
  userId: string;
  name: string;
  color: string;
  /** A signed token when the server requires one; sent as `?token=` on every room. */
  token?: string;
  /** Share-link tokens, by the one room each opens. */
  shareTokens?: Record<string, string>;
}

const KEY = 'llmunix.identity';
/** The default colours, far apart on the wheel; also those a room picks from when two people share one. */
export const COLORS = ['#f97316', '#22c55e', '#3b82f6', '#a855f7', '#ec4899', '#eab308', '#14b8a6', '#ef4444'];

function load(): Identity {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Identity> | null;
    if (saved && typeof saved.name === 'string' && typeof saved.color === 'string') {
      return { userId: saved.userId ?? LOCAL_USER_ID, name: saved.name, color: saved.color, token: saved.token, shareTokens: saved.shareTokens };
    }
  } catch {
    // A corrupt entry is replaced below.
  }
  const color = COLORS[Math.floor(Math.random() * COLORS.length)] as string;
  const picked: Identity = { userId: LOCAL_USER_ID, name: `Guest ${Math.floor(Math.random() * 900 + 100)}`, color };
  // Kept at once: the default name and colour are this browser's from now on, not a new guest
  // on every reload.
  save(picked);
  return picked;
}

function save(identity: Identity): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(identity));
  } catch {
    // Storage refused (private mode, quota): the identity lasts this page only.
  }
}

const stored = createStore(load());

/** The identity in use, one per browser (kept in localStorage, as every tab shares it). */
export const currentIdentity: ReadonlyStore<Identity> = stored;

/** Changes and remembers the identity (name, colour, or the token of a later sign-in). */
export function setIdentity(next: Partial<Identity>): void {
  stored.set({ ...stored.get(), ...next });
  save(stored.get());
}

/**
 * The share token that opens a room: the room's own link, or for a workflow's run history the
 * workflow's link (shared/src/access.ts: a link to a workflow opens its runs too).
 */
function shareTokenOf(room: string, identity: Identity): string | undefined {
  const own = identity.shareTokens?.[room];
  if (own) return own;
  const workflow = workflowRoomOfRuns(room);
  return workflow ? identity.shareTokens?.[workflow] : undefined;
}

/** The token a room is opened with: its share link's, else the person's own. */
export function tokenFor(room: string, identity: Identity = stored.get()): string | undefined {
  const own = shareTokenOf(room, identity) ?? identity.token;
  if (own || !room.startsWith(`system/`)) return own;
  // Someone who came only through share links still reads the system skills, as everyone does
  // (shared/src/access.ts): any of their links that has not expired opens the system volume.
  const now = Date.now() / 1000;
  return Object.values(identity.shareTokens ?? {}).find((t) => {
    const exp = readClaims(t)?.exp;
    return typeof exp !== 'number' || exp > now;
  });
}

/** The claims of a token, read without checking its signature (the server checks it). */
export function readClaims(token: string): Record<string, unknown> | null {
  try {
    const part = token.split('.')[1] ?? '';
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** What this person may do in a room. */
export type RoomMode = 'read' | 'write';

/**
 * A room opened with a read share link is read-only here: the server refuses its writes, so the
 * app does not offer to make them. Anything else is writable as far as the app knows (the server
 * still decides, and says so when it refuses).
 */
export function roomMode(room: string, identity: Identity = stored.get()): RoomMode {
  const token = shareTokenOf(room, identity);
  const share = token ? readClaims(token)?.share : undefined;
  return typeof share === 'object' && share !== null && (share as { mode?: unknown }).mode === 'read' ? 'read' : 'write';
}

export interface VolumeRef {
  volume: Volume;
  volumeId: string;
}

/**
 * Whether this person came only through share links, with no token of their own: on a server
 * that requires sign-in they have no volume of their own to open (it would be refused, and
 * retried for ever), only their links' rooms and, like everyone, the system volume.
 */
export const linkOnly = (identity: Identity = stored.get()): boolean => !identity.token && Object.keys(identity.shareTokens ?? {}).length > 0;

/** The volumes this person can read, in skill lookup order: theirs, their teams', the system's. */
export function readableVolumes(identity: Identity = stored.get()): VolumeRef[] {
  const claims = identity.token ? readClaims(identity.token) : null;
  const teams = [...new Set([...asIds(claims?.teams), ...asIds(claims?.team_admin)])];
  return [
    ...(linkOnly(identity) ? [] : [{ volume: 'user', volumeId: identity.userId } satisfies VolumeRef]),
    ...teams.map((volumeId): VolumeRef => ({ volume: 'team', volumeId })),
    { volume: 'system', volumeId: SYSTEM_VOLUME_ID },
  ];
}

const asIds = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && isValidId(v)) : []);

/** The volume new sessions, workflows and skills go to. */
export const homeVolume = (identity: Identity = stored.get()): VolumeRef => ({ volume: 'user', volumeId: identity.userId });
