import { useEffect, useState } from 'preact/hooks';
import { listSkillSources } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import type * as ParseModule from '../../../shared/src/skill/parse';
import type { Skill, SkillError } from '../../../shared/src/skill/parse';
import type { SkillFrontmatter } from '../../../shared/src/skill/schema';
import { afterFirstPaint } from './after-first-paint';
import { readableVolumes, type VolumeRef } from './identity';
import { acquireRoom, releaseRoom } from './rooms';

/** A skill as the library shows it: parsed, with the volume it comes from, or its errors. */
export interface CatalogEntry {
  skillId: string;
  volume: VolumeRef;
  source: string;
  skill: Skill | null;
  errors: SkillError[];
}

/** Every skill the person can read, in lookup order (theirs, their teams', the system's). */
export interface Catalog {
  entries: CatalogEntry[];
  /** The skill a node's `skillId` resolves to: the first readable volume that has it. */
  lookup(skillId: string): SkillFrontmatter | undefined;
  entry(skillId: string): CatalogEntry | undefined;
}

const parseCache = new Map<string, { skill: Skill | null; errors: SkillError[] }>();

/**
 * The skill parser (YAML and schema libraries, a third of the app's code) loads after the first
 * render: the shell and canvas draw at once, and ports appear a moment later.
 */
type Parser = typeof ParseModule;
let parser: Parser | null = null;
const parserReady: Promise<Parser> = new Promise((resolve, reject) =>
  afterFirstPaint(() => void import('../../../shared/src/skill/parse').then((m) => resolve((parser = m)), reject)),
);

/** Resolves once skills can be parsed (a moment after the first paint). */
export const whenCatalogParses = (): Promise<void> => parserReady.then(() => undefined);

function parseCached(source: string, file: string): { skill: Skill | null; errors: SkillError[] } {
  if (!parser) return { skill: null, errors: [] };
  const key = `${file}\u0000${source}`;
  let hit = parseCache.get(key);
  if (!hit) {
    const parsed = parser.parseSkill(source, file);
    hit = parsed.ok ? { skill: parsed.value, errors: [] } : { skill: null, errors: parsed.error };
    parseCache.set(key, hit);
  }
  return hit;
}

function buildCatalog(perVolume: Array<{ volume: VolumeRef; sources: Map<string, string> }>): Catalog {
  const entries: CatalogEntry[] = [];
  for (const { volume, sources } of perVolume) {
    for (const [skillId, source] of sources) {
      const file = `volumes/${volume.volume}/${volume.volumeId}/skills/${skillId}.md`;
      entries.push({ skillId, volume, source, ...parseCached(source, file) });
    }
  }
  const first = new Map<string, CatalogEntry>();
  for (const e of entries) if (!first.has(e.skillId)) first.set(e.skillId, e);
  return {
    entries,
    lookup: (id) => first.get(id)?.skill?.frontmatter,
    entry: (id) => first.get(id),
  };
}

/** The live skill catalog of every readable volume. */
export function useCatalog(): Catalog {
  const [catalog, setCatalog] = useState<Catalog>(() => buildCatalog([]));
  useEffect(() => {
    const volumes = readableVolumes();
    const rooms = volumes.map((v) => acquireRoom(volumeRoom(v.volume, v.volumeId)));
    const refresh = () =>
      setCatalog(buildCatalog(volumes.map((volume, i) => ({ volume, sources: listSkillSources((rooms[i] as (typeof rooms)[number]).doc) }))));
    for (const room of rooms) room.doc.on('afterTransaction', refresh);
    refresh();
    void parserReady.then(refresh);
    return () => {
      for (const room of rooms) {
        room.doc.off('afterTransaction', refresh);
        releaseRoom(room);
      }
    };
  }, []);
  return catalog;
}
