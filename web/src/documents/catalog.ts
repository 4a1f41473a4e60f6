import { useEffect, useMemo } from 'preact/hooks';
import { listSkillSources, skillsOf } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import type * as ParseModule from '../../../shared/src/skill/parse';
import type { CompoundSkill, ParsedSkill, SkillError } from '../../../shared/src/skill/parse';
import type { CompoundLookup } from '../../../shared/src/workflow/compound-chain';
import type { LibraryLookup, SkillLookup } from '../../../shared/src/workflow/validate';
import { afterFirstPaint } from './after-first-paint';
import { readableVolumes, type VolumeRef } from './identity';
import type { RoomSet } from './rooms';
import { createStore, useStore, type ReadonlyStore, type Store } from './store';

/**
 * A skill as the library shows it: parsed (runnable, or an instruction skill with nothing to
 * run), with the volume it comes from, or its errors.
 *
 * A skill being edited live is invalid for moments at a time (a half-typed field). The canvas
 * keeps working meanwhile: the entry holds the last valid version this browser saw (`skill` and
 * `source`, which runs use) with the current text's `errors`; a skill never seen valid has
 * `skill` null and shows as broken with its errors.
 */
export interface CatalogEntry {
  skillId: string;
  volume: VolumeRef;
  /** The Markdown `skill` was parsed from: the text now, or its last valid version. */
  source: string;
  skill: ParsedSkill | null;
  /** What is wrong with the text now (none when it is valid). */
  errors: SkillError[];
}

/** The last valid parse of each skill file, while the catalog lives. */
type LastValid = Map<string, { source: string; skill: ParsedSkill }>;

/** Every skill the person can read, in lookup order (theirs, their teams', the system's). */
export interface Catalog {
  entries: CatalogEntry[];
  /**
   * The skill a node's `skillId` resolves to: the first readable volume that has it, if it can be
   * a node (it runs, or it is a compound skill).
   */
  lookup: SkillLookup;
  /** The compound skill a node's `skillId` resolves to (for the executor, which expands it). */
  compound: CompoundLookup;
  /** Any skill a node's `skillId` resolves to, instruction skills too (for validation). */
  library: LibraryLookup;
  entry(skillId: string): CatalogEntry | undefined;
  /**
   * The skill once the catalog has it (runnable or not): at once, or when its volume's copy
   * brings it (a skill dropped on the canvas in the first moments, before the system volume has
   * synced), or undefined if it has not come `timeoutMs` after the parser loaded.
   */
  whenSkill(skillId: string, timeoutMs: number): Promise<ParsedSkill | undefined>;
}

const parseCache = new Map<string, { skill: ParsedSkill | null; errors: SkillError[] }>();

/**
 * The skill parser (YAML and schema libraries, a third of the app's code) loads after the first
 * render: the shell and canvas draw at once, and ports appear a moment later.
 */
type Parser = typeof ParseModule;
let parser: Parser | null = null;
const parserReady: Promise<Parser> = new Promise((resolve, reject) =>
  // The mark names the moment in a performance trace (npm run bench:web -- --trace).
  afterFirstPaint(() => void import('../../../shared/src/skill/parse').then((m) => (performance.mark('parser-loaded'), resolve((parser = m))), reject)),
);

function parseCached(source: string, file: string, skillId: string): { skill: ParsedSkill | null; errors: SkillError[] } {
  if (!parser) return { skill: null, errors: [] };
  const key = `${file}\u0000${source}`;
  let hit = parseCache.get(key);
  if (!hit) {
    // The skill's key in its volume is its id when the file has none (an imported Agent Skill).
    const parsed = parser.readSkill(source, { file, skillId });
    hit = parsed.ok ? { skill: parsed.value, errors: [] } : { skill: null, errors: parsed.error };
    parseCache.set(key, hit);
  }
  return hit;
}

function buildCatalog(perVolume: Array<{ volume: VolumeRef; sources: Map<string, string> }>, whenSkill: Catalog['whenSkill'], lastValid: LastValid = new Map()): Catalog {
  const entries: CatalogEntry[] = [];
  const listed = new Set<string>();
  for (const { volume, sources } of perVolume) {
    for (const [skillId, source] of sources) {
      const file = `volumes/${volume.volume}/${volume.volumeId}/skills/${skillId}.md`;
      listed.add(file);
      const parsed = parseCached(source, file, skillId);
      if (parsed.skill) lastValid.set(file, { source, skill: parsed.skill });
      const kept = parsed.skill ? undefined : lastValid.get(file);
      entries.push(kept ? { skillId, volume, source: kept.source, skill: kept.skill, errors: parsed.errors } : { skillId, volume, source, ...parsed });
    }
  }
  // A deleted skill made again starts afresh.
  for (const file of lastValid.keys()) if (!listed.has(file)) lastValid.delete(file);
  const first = new Map<string, CatalogEntry>();
  for (const e of entries) if (!first.has(e.skillId)) first.set(e.skillId, e);
  return {
    entries,
    lookup: (id) => {
      const skill = first.get(id)?.skill;
      return skill?.kind === 'runnable' || skill?.kind === 'compound' ? skill.frontmatter : undefined;
    },
    compound: (id): CompoundSkill | undefined => {
      const skill = first.get(id)?.skill;
      return skill?.kind === 'compound' ? skill : undefined;
    },
    library: (id) => first.get(id)?.skill?.frontmatter,
    entry: (id) => first.get(id),
    whenSkill,
  };
}

/** Follows the catalogs a store holds until one has the skill (Catalog's `whenSkill`). */
async function skillArrival(catalogs: ReadonlyStore<Catalog>, skillId: string, timeoutMs: number): Promise<ParsedSkill | undefined> {
  await parserReady;
  const now = catalogs.get().entry(skillId)?.skill;
  if (now) return now;
  return new Promise((resolve) => {
    const finish = (skill: ParsedSkill | undefined) => {
      clearTimeout(deadline);
      stop();
      resolve(skill);
    };
    const deadline = setTimeout(() => finish(undefined), timeoutMs);
    const stop = catalogs.subscribe(() => {
      const skill = catalogs.get().entry(skillId)?.skill;
      if (skill) finish(skill);
    });
  });
}

/**
 * The live skill catalog of every readable volume: rebuilt when a volume's skills change (Yjs
 * observes the volume indexes' `skills` maps) and once the parser has loaded.
 */
export function useCatalog(rooms: RoomSet): Catalog {
  const catalogs = useMemo(() => {
    const store: Store<Catalog> = createStore(buildCatalog([], (skillId, timeoutMs) => skillArrival(store, skillId, timeoutMs)));
    return store;
  }, []);
  useEffect(() => {
    let live = true;
    let opened: Array<{ volume: VolumeRef; room: ReturnType<RoomSet['acquire']>; skills: ReturnType<typeof skillsOf> }> = [];
    const lastValid: LastValid = new Map();
    const refresh = () => {
      if (!live) return;
      const perVolume = opened.map(({ volume, room }) => ({ volume, sources: listSkillSources(room.doc) }));
      catalogs.set(buildCatalog(perVolume, catalogs.get().whenSkill, lastValid));
    };
    // The volumes (the system's holds every system skill: loading it from IndexedDB is a long
    // task) open once the first screen's room has content, so they never delay the canvas.
    void rooms.firstScreen.then(() => {
      if (!live) return;
      opened = readableVolumes().map((volume) => {
        const room = rooms.acquire(volumeRoom(volume.volume, volume.volumeId));
        return { volume, room, skills: skillsOf(room.doc) };
      });
      for (const { skills } of opened) skills.observeDeep(refresh);
      refresh();
      void parserReady.then(refresh);
    });
    return () => {
      live = false;
      for (const { room, skills } of opened) {
        skills.unobserveDeep(refresh);
        rooms.release(room);
      }
    };
  }, [rooms, catalogs]);
  return useStore(catalogs);
}
