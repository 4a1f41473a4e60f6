import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Suggestion } from '../../../shared/src/evolution/suggest';
import { listDismissedPatterns } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useRoom, useRooms } from '../documents/hooks';
import { homeVolume } from '../documents/identity';
import { traceEvents } from '../run/run-store';
import type { MiningStep } from './mining-client';
import type { RunSource } from './run-traces';
import { mineSuggestions } from './suggestions';

/** Where mining is, for the library to show. */
export type MiningState =
  | { phase: 'waiting' }
  | { phase: 'working'; step: MiningStep | 'gathering'; runs?: number }
  | { phase: 'done'; suggestions: Suggestion[]; runs: number; skipped: number }
  | { phase: 'failed'; message: string };

const NONE = new Set<string>();

/**
 * The suggestions mined from `source`'s runs: mined when the library opens (once its skills are
 * read), again after each run saved here and when the library's compound skills change. A
 * dismissal hides its suggestion at once.
 */
export function useSuggestions(catalog: Catalog, source: RunSource): MiningState {
  const rooms = useRooms();
  const home = homeVolume();
  const homeRoom = useRoom(volumeRoom(home.volume, home.volumeId));
  const dismissed = useDocValue(homeRoom?.doc, listDismissedPatterns, NONE);
  const [state, setState] = useState<MiningState>({ phase: 'waiting' });
  const [runsSaved, setRunsSaved] = useState(0);
  useEffect(() => {
    const onSaved = () => setRunsSaved((n) => n + 1);
    traceEvents.addEventListener('trace-saved', onSaved);
    return () => traceEvents.removeEventListener('trace-saved', onSaved);
  }, []);
  const ready = catalog.entries.some((e) => e.skill);
  // Only a change of the compounds (not every keystroke in any skill) changes what is offered.
  const compounds = catalog.entries.flatMap((e) => (e.skill?.kind === 'compound' ? [`${e.volume.volumeId}/${e.skillId}:${e.source.length}`] : [])).join('|');
  const sourceKey = `${source.kind}/${source.volumeId}`;
  useEffect(() => {
    if (!ready) return;
    let live = true;
    mineSuggestions(rooms, catalog, source, (step, runs) => live && setState({ phase: 'working', step, runs })).then(
      (outcome) => live && setState({ phase: 'done', ...outcome }),
      (e: unknown) => live && setState({ phase: 'failed', message: (e as Error).message }),
    );
    return () => {
      live = false;
    };
    // The catalog is read when mining starts; `compounds` says when it changed in a way that matters.
  }, [ready, compounds, sourceKey, runsSaved, rooms]);
  return useMemo(() => (state.phase === 'done' ? { ...state, suggestions: state.suggestions.filter((s) => !dismissed.has(s.key)) } : state), [state, dismissed]);
}
