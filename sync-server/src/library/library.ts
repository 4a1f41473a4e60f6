import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { Identity } from '../../../shared/src/access';
import { readSkillFile } from '../../../shared/src/documents/skill-files';
import { trashEntryOf } from '../../../shared/src/documents/trash';
import { getWorkflowListing, type WorkflowListing } from '../../../shared/src/documents/volume-index';
import { readWorkflowGraph, readWorkflowMeta, type WorkflowGraph } from '../../../shared/src/documents/workflow';
import { expandCompounds } from '../../../shared/src/execution/expand-compound';
import type { Json } from '../../../shared/src/json';
import { isValidId, parseRoomName, volumeRoom, workflowRoom } from '../../../shared/src/rooms';
import { HttpError } from '../http/errors';
import type { Rooms } from '../rooms/rooms';
import { canAccess, requireAccess, type VolumeRef } from '../access/volumes';
import { parseResourceUri, resourceOf, skillPrompt } from './prompts';
import { readableVolumes, type ReadableVolume } from './readable-volumes';
import { callerLibrary, type CallerLibrary } from './resolve-for';
import { skillGraph, skillTool, type UnnamedTool } from './skill-tool';
import { settleNames, skillName, workflowName } from './tool-names';
import type { Library, LibraryPrompt, LibraryResource, LibraryTool, LibraryView, PreparedRun } from './types';
import { LibraryWatchers } from './watch';
import { applyToolArguments, applyWorkflowInputs } from './workflow-inputs';
import { byNodeId, workflowTool, type StoredWorkflow } from './workflow-tool';

export interface LibraryOptions {
  /** Where workflows skipped as tools are said (debug) and failed watches (warn); silent by default. */
  log?: Logger;
}

/** The library, and what the server tells it: a room's change is durable (Rooms' `onDurableChange`). */
export type ServerLibrary = Library & { roomChanged(roomName: string): void };

/** Most workflow rooms whose graph is kept, and most workflow tools kept built. */
const MAX_CACHED = 10_000;
/** Workflow rooms read at once when many are not cached yet (a first tools/list of someone with hundreds). */
const LOAD_AT_ONCE = 8;

interface CachedWorkflow {
  counter: number;
  name: string;
  description: string;
  graph: WorkflowGraph;
}

type BuiltWorkflow = { tool: UnnamedTool } | { problem: string };

/** A bounded map, oldest entry out first. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_CACHED) map.delete(map.keys().next().value as K);
  return value;
}

const sameRef = (a: VolumeRef, b: VolumeRef): boolean => a.volume === b.volume && a.volumeId === b.volumeId;

/** What a watcher compares: everything a tools/prompts/resources list shows. */
function fingerprintOf(view: LibraryView): string {
  const shown = {
    tools: view.tools.map((t) => [t.name, t.title, t.description, t.inputSchema, t.outputSchema]),
    prompts: view.prompts.map((p) => [p.name, p.title, p.description, p.files]),
    resources: view.resources.map((r) => [r.uri, r.mimeType, r.size]),
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}

/**
 * The library as other assistants see it (`types.ts`). Caches: stored skills parsed once per
 * source (`storedSkill`); each workflow room's graph kept until `roomChanged` names the room;
 * each workflow's tool kept per (room change, caller's skills), so a tools/list of someone with
 * hundreds of workflows reads their few volume indexes and builds only what changed. Without
 * `roomChanged` wired to every durable change, workflows would be served stale.
 */
export function createLibrary(rooms: Rooms, options: LibraryOptions = {}): ServerLibrary {
  const log = options.log ?? pino({ level: 'silent' });
  // Each workflow room's last change, numbered from one sequence: an entry evicted reads 0, which no cache entry taken after a change holds.
  const counters = new Map<string, number>();
  let changes = 0;
  const workflowDocs = new Map<string, CachedWorkflow>();
  const workflowTools = new Map<string, BuiltWorkflow>();
  const watchers = new LibraryWatchers((e) => log.warn({ err: e }, 'library watch: reading the library failed'));
  const counterOf = (room: string): number => counters.get(room) ?? 0;

  /** A workflow as stored, and the change it was read at. */
  async function storedWorkflow(ref: VolumeRef, listing: WorkflowListing): Promise<{ stored: StoredWorkflow; counter: number }> {
    const room = workflowRoom(ref.volume, ref.volumeId, listing.id);
    // Taken before reading: a change while the room is read leaves the entry already stale.
    const counter = counterOf(room);
    let cached = workflowDocs.get(room);
    if (!cached || cached.counter !== counter) {
      cached = await rooms.use(room, (r) => {
        const meta = readWorkflowMeta(r.doc);
        return { counter, name: meta.name, description: meta.description, graph: readWorkflowGraph(r.doc) };
      });
      remember(workflowDocs, room, cached);
    }
    const stored = { ref, id: listing.id, name: cached.name || listing.name, description: cached.description || listing.description, graph: cached.graph };
    return { stored, counter: cached.counter };
  }

  async function builtWorkflow(ref: VolumeRef, listing: WorkflowListing, lib: CallerLibrary): Promise<{ stored: StoredWorkflow; built: BuiltWorkflow }> {
    const { stored, counter } = await storedWorkflow(ref, listing);
    const room = workflowRoom(ref.volume, ref.volumeId, listing.id);
    const key = [room, counter, lib.fingerprint, stored.name, stored.description].join('\0');
    let built = workflowTools.get(key);
    if (!built) {
      built = remember(workflowTools, key, workflowTool(stored, lib));
      if ('problem' in built) log.debug({ workflow: room, problem: built.problem }, 'workflow is not a tool: it cannot run');
    }
    return { stored, built };
  }

  async function view(identity: Identity): Promise<LibraryView> {
    const volumes = await readableVolumes(rooms, identity);
    const lib = callerLibrary(volumes);
    const tools: Array<UnnamedTool & { claim: string }> = [];
    for (const entry of lib.skills) {
      const tool = skillTool(entry, lib);
      if (tool) tools.push({ ...tool, claim: skillName(entry.skillId) });
    }
    const listed = volumes.flatMap((v) => [...v.workflows].sort((a, b) => (a.id < b.id ? -1 : 1)).map((listing) => ({ ref: v.ref, listing })));
    const built: Array<Awaited<ReturnType<typeof builtWorkflow>>> = [];
    for (let i = 0; i < listed.length; i += LOAD_AT_ONCE) {
      built.push(...(await Promise.all(listed.slice(i, i + LOAD_AT_ONCE).map(({ ref, listing }) => builtWorkflow(ref, listing, lib)))));
    }
    for (const { stored, built: b } of built) if ('tool' in b) tools.push({ ...b.tool, claim: workflowName(stored.name, stored.id) });
    const names = settleNames(tools.map((t) => ({ name: t.claim, ref: t.volume, id: t.id })));
    const prompts: LibraryPrompt[] = [];
    const resources: LibraryResource[] = [];
    for (const entry of lib.skills) {
      const files = volumes.find((v) => sameRef(v.ref, entry.ref))?.files.get(entry.skillId) ?? [];
      const found = skillPrompt(entry, files);
      if (!found) continue;
      prompts.push(found.prompt);
      resources.push(...found.resources);
    }
    return {
      tools: tools.map(({ claim: _claim, ...tool }, i) => ({ name: names[i] as string, ...tool })),
      prompts,
      resources,
    };
  }

  /** A stored workflow the caller may read, or the HttpError REST answers (403, 404 also for one in the trash). */
  async function openWorkflow(identity: Identity, ref: VolumeRef, workflowId: string): Promise<{ room: string; stored: StoredWorkflow; tool: UnnamedTool; lib: CallerLibrary }> {
    const room = `${ref.volume}/${ref.volumeId}/workflow/${workflowId}`;
    if (!parseRoomName(room).ok) throw new HttpError('not_found', `No workflow "${workflowId.slice(0, 200)}".`);
    requireAccess(identity, room, 'read');
    const where = `${ref.volume}/${ref.volumeId}`;
    // Read by the server for the caller: a share link may not read the index, only its workflow.
    const listing = await rooms.use(volumeRoom(ref.volume, ref.volumeId), (r) => {
      const found = getWorkflowListing(r.doc, workflowId);
      if (found) return found;
      const trashed = trashEntryOf(r.doc, ref, 'workflow', workflowId);
      const why = trashed ? ` (it is in the trash; restore it first: POST /api/trash/${trashed.id}/restore)` : '';
      throw new HttpError('not_found', `No workflow "${workflowId}" in ${where}${why}.`);
    });
    const volumes: ReadableVolume[] = await readableVolumes(rooms, identity);
    const lib = callerLibrary(volumes);
    const { stored, built } = await builtWorkflow(ref, listing, lib);
    if ('problem' in built) throw new HttpError('unprocessable', `Workflow "${stored.name || workflowId}" cannot run: ${built.problem}`);
    return { room, stored, tool: built.tool, lib };
  }

  function prepared(kind: 'skill' | 'workflow', name: string, graph: WorkflowGraph, lib: CallerLibrary, tool: UnnamedTool, room?: string): PreparedRun {
    return {
      name,
      kind,
      graph,
      resolve: lib.resolve,
      library: lib.library,
      compounds: lib.compounds,
      ...(room ? { workflowRoom: room } : {}),
      outputs: tool.outputs,
      total: expandCompounds(graph, lib.compounds).graph.nodes.length,
    };
  }

  async function prepareWorkflow(identity: Identity, ref: VolumeRef, workflowId: string, inputs: Record<string, Json>): Promise<PreparedRun> {
    const { room, stored, tool, lib } = await openWorkflow(identity, ref, workflowId);
    const graph = applyWorkflowInputs(byNodeId(stored.graph), lib, inputs);
    return prepared('workflow', stored.name || workflowId, graph, lib, tool, room);
  }

  async function prepareTool(identity: Identity, tool: LibraryTool, args: Record<string, Json>): Promise<PreparedRun> {
    if (tool.kind === 'workflow') {
      const { room, stored, tool: fresh, lib } = await openWorkflow(identity, tool.volume, tool.id);
      const graph = applyToolArguments(byNodeId(stored.graph), lib, { ...fresh, name: tool.name }, args);
      return prepared('workflow', stored.name || tool.id, graph, lib, fresh, room);
    }
    const lib = callerLibrary(await readableVolumes(rooms, identity));
    const entry = lib.skills.find((s) => s.skillId === tool.id);
    const fresh = entry && skillTool(entry, lib);
    if (!entry || !fresh) throw new HttpError('not_found', `No skill "${tool.id}" that runs here among the skills you can read; list the tools again.`);
    const graph = applyToolArguments(skillGraph(entry.skillId, fresh.title), lib, { ...fresh, name: tool.name }, args);
    return prepared('skill', entry.skillId, graph, lib, fresh);
  }

  async function readResource(identity: Identity, uri: string): Promise<{ resource: LibraryResource; bytes: Uint8Array } | undefined> {
    const named = parseResourceUri(uri);
    if (!named || !isValidId(named.skillId)) return undefined;
    const index = `${named.ref.volume}/${named.ref.volumeId}`;
    // canAccess refuses a name that is no room (`system/other`, `user/..`) as well as another's volume.
    if (!canAccess(identity, index, 'read')) return undefined;
    const bytes = await rooms.use(index, (r) => readSkillFile(r.doc, named.skillId, named.path)?.slice());
    return bytes && { resource: resourceOf(named.ref, named.skillId, { path: named.path, size: bytes.byteLength }), bytes };
  }

  return {
    view,
    prepareWorkflow,
    prepareTool,
    readResource,
    watch: (identity, onChange) => watchers.add(identity, async () => fingerprintOf(await view(identity)), onChange),
    roomChanged(roomName) {
      const room = parseRoomName(roomName);
      if (room.ok && room.value.kind === 'workflow') {
        remember(counters, roomName, ++changes);
        workflowDocs.delete(roomName);
      }
      watchers.roomChanged(roomName);
    },
  };
}
