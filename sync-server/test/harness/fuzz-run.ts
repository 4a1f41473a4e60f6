import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import pino from 'pino';
import * as Y from 'yjs';
import { CLOSE } from '../../../shared/src/codes';
import { mintShareToken, mintUserToken } from '../../src/access/tokens';
import { loadConfig } from '../../src/config';
import { startServer } from '../../src/server';
import { FileStorage } from '../../src/storage/file';
import type { StoredRoom } from '../../src/storage/storage';
import { connectClient, synced } from './clients';
import { startFuzzers, type HostileResult } from './fuzz-driver';
import { connectEditors, converged, editorId, playScript, type EditorRoom } from './fuzz-editors';
import type { FuzzRoom, Strangers } from './fuzz-plans';
import { contentOf } from './random-edits';
import { waitFor } from './wait';

const SECRET = 'fuzz-test-secret-0123456789-abcdefghijkl';
export const LIMITS = { maxBytes: 64 * 1024, perSecond: 500 };
export const SYSTEM_ROOM = 'system/system';
/** The rooms the well-behaved clients edit, and the token each of them uses. */
const EDITED = [
  { name: 'user/alice/workflow/fuzz-w', owner: { sub: 'alice' } },
  { name: 'user/alice/session/fuzz-s', owner: { sub: 'alice' } },
  { name: 'team/lab/workflow/fuzz-t', owner: { sub: 'bob', teams: ['lab'] } },
];
export const EDITED_ROOMS = EDITED.map((r) => r.name);
/** A room only the fuzzers use: unloaded as soon as they leave, so frames often arrive while it loads. */
export const QUIET_ROOM = 'user/alice/workflow/fuzz-quiet';
const EDITORS_PER_ROOM = 3;

export interface FuzzRunOptions {
  seed: number;
  /** Without fuzzers: the reference run. */
  fuzz: boolean;
  steps: number;
  slots: number;
  frames: number;
}

export interface FuzzRunResult {
  /** Each edited room as the storage holds it after a graceful shutdown. */
  stored: Map<string, StoredRoom>;
  /** The content each room's editors ended with. */
  content: Map<string, unknown>;
  /** The system room's state rebuilt from storage, at start and after shutdown. */
  system: { before: Uint8Array; after: Uint8Array };
  /** The quiet room as stored after shutdown. */
  quiet: StoredRoom;
  hostile: HostileResult[];
  /** Close codes the editors' sockets saw (they should see none). */
  editorCloses: number[];
  /** Uncaught exceptions and unhandled rejections in this process while the server ran. */
  crashes: unknown[];
  /** Lines the server logged at level error or worse. */
  errorLogs: string[];
  healthz: number;
}

const rebuild = (stored: StoredRoom): Uint8Array => {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
};

async function fuzzRooms(): Promise<{ rooms: FuzzRoom[]; strangers: Strangers; editorTokens: string[] }> {
  const rooms: FuzzRoom[] = [];
  const editorTokens: string[] = [];
  for (const { name, owner } of [...EDITED, { name: QUIET_ROOM, owner: { sub: 'alice' } }]) {
    const ownerToken = await mintUserToken(SECRET, owner);
    editorTokens.push(ownerToken);
    rooms.push({ name, readToken: await mintShareToken(SECRET, name, 'read'), writeTokens: [ownerToken, await mintShareToken(SECRET, name, 'write')] });
  }
  // Everyone may read the system volume; nobody may write it over the network.
  rooms.push({ name: SYSTEM_ROOM, readToken: await mintUserToken(SECRET, { sub: 'alice' }) });
  const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(SECRET));
  const strangers: Strangers = [
    { code: CLOSE.unauthorized.code },
    { token: 'not-a-token', code: CLOSE.unauthorized.code },
    { token: expired, code: CLOSE.unauthorized.code },
    { token: await mintUserToken('some-other-secret-some-other-secret-xx', { sub: 'alice' }), code: CLOSE.unauthorized.code },
    { token: await mintUserToken(SECRET, { sub: 'eve' }), code: CLOSE.forbidden.code },
    { token: await mintShareToken(SECRET, 'user/alice/workflow/elsewhere', 'write'), code: CLOSE.forbidden.code },
  ];
  return { rooms, strangers, editorTokens };
}

/** Watches this process for what would crash a server process: uncaught exceptions and unhandled rejections. */
function watchCrashes(): { crashes: unknown[]; stop: () => void } {
  const crashes: unknown[] = [];
  const record = (e: unknown) => crashes.push(e);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    crashes,
    stop: () => {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

type Access = Awaited<ReturnType<typeof fuzzRooms>>;

/** The editors play their scripts, with `fuzz` spread over an attack on every room; resolves with the hostile connections' results. */
async function playUnderAttack(url: string, editors: EditorRoom[], access: Access, options: FuzzRunOptions): Promise<HostileResult[]> {
  const clientIds = editors.flatMap((_, r) => Array.from({ length: EDITORS_PER_ROOM }, (_, i) => editorId(r, i)));
  const fuzzers = options.fuzz
    ? startFuzzers(
        url,
        { rooms: access.rooms, strangers: access.strangers, targets: { clientIds, maxBytes: LIMITS.maxBytes }, perSecond: LIMITS.perSecond },
        { seed: options.seed, slots: options.slots, frames: options.frames, deadlineMs: 15_000 },
      )
    : null;
  // Step i of each script waits until i/steps of the hostile frames are out.
  const paced = async (step: number) => {
    if (fuzzers) await waitFor(() => fuzzers.sent >= (step / options.steps) * options.frames, `the fuzzers to send their frames (seed ${options.seed})`, 60_000);
  };
  const [hostile] = await Promise.all([fuzzers?.done ?? Promise.resolve([]), ...editors.map((room, r) => playScript(options.seed, r, room, options.steps, paced))]);
  return hostile;
}

/** After the attack: each room's editors still agree, and a newcomer gets the same document from the server. */
async function finalContent(url: string, editors: EditorRoom[], access: Access, seed: number): Promise<Map<string, unknown>> {
  const content = new Map<string, unknown>();
  for (const [r, room] of editors.entries()) {
    await converged(room, `the editors of ${room.name} to converge after the attack (seed ${seed})`);
    const newcomer = connectClient(url, room.name, { params: { token: access.editorTokens[r] as string } });
    await synced(newcomer);
    const expected = contentOf(room.clients[0]!.doc);
    const got = contentOf(newcomer.doc);
    newcomer.destroy();
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`a newcomer to ${room.name} got another document than its editors (seed ${seed})`);
    content.set(room.name, expected);
  }
  return content;
}

/** What the storage holds once the server is gone. */
async function readBack(dataDir: string): Promise<Pick<FuzzRunResult, 'stored' | 'quiet'> & { system: Uint8Array }> {
  const storage = await FileStorage.open(dataDir);
  try {
    const stored = new Map<string, StoredRoom>();
    for (const name of EDITED_ROOMS) stored.set(name, await storage.load(name));
    return { stored, quiet: await storage.load(QUIET_ROOM), system: rebuild(await storage.load(SYSTEM_ROOM)) };
  } finally {
    await storage.close();
  }
}

/**
 * One run: a server on a fresh DATA_DIR (file storage, tokens required), editors playing their
 * seeded scripts in three rooms, and with `fuzz`, hostile connections to those rooms, a room of
 * their own and the system volume all along. Ends with a graceful shutdown and reads back what
 * was stored.
 */
export async function fuzzRun(options: FuzzRunOptions): Promise<FuzzRunResult> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-fuzz-'));
  const errorLogs: string[] = [];
  const watch = watchCrashes();
  const config = loadConfig({
    STORAGE: 'file',
    DATA_DIR: dataDir,
    PORT: '0',
    AUTH_SECRET: SECRET,
    MAX_MESSAGE_BYTES: String(LIMITS.maxBytes),
    MAX_MESSAGES_PER_SECOND: String(LIMITS.perSecond),
    // Rooms nobody is in are unloaded (and compacted) at once, and loaded again by the next
    // connection: the editors' rooms stay, the system and quiet rooms come and go under fire.
    ROOM_IDLE_MS: '50',
  });
  const server = await startServer(config, { log: pino({ level: 'error' }, { write: (line: string) => errorLogs.push(line) }) });
  let editors: EditorRoom[] = [];
  const leave = () => {
    for (const room of editors.splice(0)) for (const c of room.clients) c.destroy();
  };
  try {
    // The server writes the system skills while it starts listening (SYS-3): a use of the room
    // waits until they are in, and durable() until they are stored.
    await server.rooms.use(SYSTEM_ROOM, (room) => room.durable());
    const systemBefore = rebuild(await server.storage.load(SYSTEM_ROOM));
    const access = await fuzzRooms();
    editors = await connectEditors(server.url, EDITED.map((r, i) => ({ name: r.name, token: access.editorTokens[i] as string })), EDITORS_PER_ROOM);
    const hostile = await playUnderAttack(server.url, editors, access, options);
    const content = await finalContent(server.url, editors, access, options.seed);
    const editorCloses = editors.flatMap((room) => room.clients.flatMap((c) => c.closeCodes));
    const healthz = (await fetch(`${server.url}/healthz`)).status;
    leave();
    await server.close();
    const { stored, quiet, system } = await readBack(dataDir);
    return { stored, content, system: { before: systemBefore, after: system }, quiet, hostile, editorCloses, crashes: watch.crashes, errorLogs, healthz };
  } finally {
    leave();
    watch.stop();
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
