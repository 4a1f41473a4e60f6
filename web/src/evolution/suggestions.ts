import type { SkillInfo, Suggestion } from '../../../shared/src/evolution/suggest';
import { listDismissedPatterns } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import type { Catalog } from '../documents/catalog';
import { homeVolume } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { readRoom } from '../panels/room-access';
import { mineInWorker, type MiningOutcome, type MiningStep } from './mining-client';
import { gatherTraces, type RunSource } from './run-traces';

/** The original design's window and threshold: seen in 3 distinct runs of the last 7 days. */
export const WINDOW_DAYS = 7;
export const MIN_SUPPORT = 3;

/** What the library says of its skills to the miner: names and ports, and the compounds it has. */
function libraryOf(catalog: Catalog): { skills: Record<string, SkillInfo>; compounds: string[] } {
  const skills: Record<string, SkillInfo> = {};
  const compounds: string[] = [];
  for (const entry of catalog.entries) {
    const fm = entry.skill?.frontmatter;
    if (fm && !Object.hasOwn(skills, entry.skillId) && catalog.entry(entry.skillId) === entry) skills[entry.skillId] = { name: fm.name, inputs: fm.inputs, outputs: fm.outputs };
    if (entry.skill?.kind === 'compound') compounds.push(entry.source);
  }
  return { skills, compounds };
}

/** The patterns this person dismissed (kept in their own volume, whoever's runs are mined). */
export const dismissedPatterns = (rooms: RoomSet): Promise<Set<string>> => {
  const home = homeVolume();
  return readRoom(rooms, volumeRoom(home.volume, home.volumeId), listDismissedPatterns);
};

/**
 * Mines the runs of `source` for compound skill suggestions, off the page's thread: patterns the
 * library already has as a compound skill, or this person dismissed, are left out.
 */
export async function mineSuggestions(
  rooms: RoomSet,
  catalog: Catalog,
  source: RunSource,
  progress: (step: MiningStep | 'gathering', runs?: number) => void = () => undefined,
): Promise<MiningOutcome> {
  progress('gathering');
  const now = Date.now();
  const [traces, dismissed] = await Promise.all([gatherTraces(rooms, source, WINDOW_DAYS, now), dismissedPatterns(rooms)]);
  return mineInWorker({ traces, ...libraryOf(catalog), dismissed: [...dismissed], now, days: WINDOW_DAYS, minSupport: MIN_SUPPORT }, progress);
}

/** A suggestion as the assistant reads it (list_skill_suggestions). */
export function suggestionSummary(s: Suggestion) {
  return {
    name: s.name,
    skill_id: s.skill_id,
    skills: s.skills,
    support: s.support,
    workflows: s.evidence.workflows,
    last_run: s.evidence.last_run,
    inputs: s.inputs.map((p) => `${p.name}: ${p.type}`),
    outputs: s.outputs.map((p) => `${p.name}: ${p.type}`),
  };
}

/** The suggestions from this person's runs, for the assistant. */
export async function suggestionsForAssistant(rooms: RoomSet, catalog: Catalog): Promise<Array<ReturnType<typeof suggestionSummary>>> {
  const { suggestions } = await mineSuggestions(rooms, catalog, { kind: 'mine', volumeId: homeVolume().volumeId });
  return suggestions.map(suggestionSummary);
}
