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

/**
 * Where mining is, for the library to show: the step under way, if any, and the last answer (kept
 * on show while the next is mined, so a suggestion being accepted does not vanish under the person).
 */
export interface MiningState {
  working: { step: MiningStep | 'gathering'; runs?: number } | null;
  done: { suggestions: Suggestion[]; runs: number; skipped: number } | null;
  failure: string | null;
}

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
  // `of`: whose runs the last answer came from; another's is not shown while these are mined.
  const [state, setState] = useState<MiningState & { of: string }>({ working: null, done: null, failure: null, of: '' });
  const [runsSaved, setRunsSaved] = useState(0);
  useEffect(() => {
    const onSaved = () => setRunsSaved((n) => n + 1);
    traceEvents.addEventListener('trace-saved', onSaved);
    return () => traceEvents.removeEventListener('trace-saved', onSaved);
  }, []);
  // Skills read so far: volumes arrive one by one, and suggestions are named from them.
  const read = catalog.entries.filter((e) => e.skill).length;
  const ready = read > 0;
  // Beyond that, only a change of the compounds (not every keystroke in any skill) changes what is offered.
  const compounds = catalog.entries.flatMap((e) => (e.skill?.kind === 'compound' ? [`${e.volume.volumeId}/${e.skillId}:${e.source.length}`] : [])).join('|');
  const sourceKey = `${source.kind}/${source.volumeId}`;
  useEffect(() => {
    if (!ready) return;
    let live = true;
    mineSuggestions(rooms, catalog, source, (step, runs) => live && setState((s) => ({ ...s, working: { step, runs } }))).then(
      (outcome) => live && setState({ working: null, done: outcome, failure: null, of: sourceKey }),
      (e: unknown) => live && setState((s) => ({ ...s, working: null, failure: (e as Error).message })),
    );
    return () => {
      live = false;
    };
    // The catalog is read when mining starts; `compounds` says when it changed in a way that matters.
  }, [read, compounds, sourceKey, runsSaved, rooms]);
  return useMemo((): MiningState => {
    const { working, done, failure, of } = state;
    return { working, failure, done: done && of === sourceKey ? { ...done, suggestions: done.suggestions.filter((s) => !dismissed.has(s.key)) } : null };
  }, [state, dismissed, sourceKey]);
}
