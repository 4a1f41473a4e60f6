import { useEffect, useState } from 'preact/hooks';
import { isValidId, parseRoomName, type Volume } from '../../shared/src/rooms';

/** The views that have their own URL (`/#/...`), so they open from links, offline included. */
export type Route =
  | { view: 'home' }
  | { view: 'workflow'; room: string; volume: Volume; volumeId: string; id: string; open?: string[] }
  | { view: 'session'; room: string; volume: Volume; volumeId: string; id: string }
  | { view: 'skill'; volume: Volume; volumeId: string; skillId: string }
  | { view: 'new-skill' }
  | { view: 'share'; token: string }
  | { view: 'trash' }
  | { view: 'not-found'; hash: string };

/** Parses a location hash; anything that is not a valid room or id is "not found", never a path. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path === '') return { view: 'home' };
  const [kind, ...rest] = path.split('/');
  if (kind === 'workflow' || kind === 'session') {
    const room = `${rest[0] ?? ''}/${rest[1] ?? ''}/${kind}/${rest[2] ?? ''}`;
    const parsed = parseRoomName(room);
    if (rest.length === 3 && parsed.ok && parsed.value.kind === kind) {
      return { view: kind, room, volume: parsed.value.volume, volumeId: parsed.value.volumeId, id: parsed.value.id };
    }
    // `#/workflow/…/open/<node>/<node>`: the compound nodes opened, outermost first (web/src/compound).
    const open = rest.slice(4);
    if (kind === 'workflow' && rest[3] === 'open' && open.length > 0 && open.every(isValidId) && parsed.ok && parsed.value.kind === kind) {
      return { view: kind, room, volume: parsed.value.volume, volumeId: parsed.value.volumeId, id: parsed.value.id, open };
    }
  }
  if (kind === 'skill' && rest.length === 1 && rest[0] === 'new') return { view: 'new-skill' };
  if (kind === 'trash' && rest.length === 0) return { view: 'trash' };
  if (kind === 'share' && rest.length === 1 && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(rest[0] ?? '')) return { view: 'share', token: rest[0] as string };
  if (kind === 'skill' && rest.length === 3) {
    const parsed = parseRoomName(`${rest[0]}/${rest[1]}`);
    if (parsed.ok && isValidId(rest[2] ?? '')) {
      return { view: 'skill', volume: parsed.value.volume, volumeId: parsed.value.volumeId, skillId: rest[2] as string };
    }
  }
  return { view: 'not-found', hash };
}

/** The URL hash of a workflow, session or skill, and of the trash. */
export const hrefOf = {
  workflow: (volume: string, volumeId: string, id: string) => `#/workflow/${volume}/${volumeId}/${id}`,
  session: (volume: string, volumeId: string, id: string) => `#/session/${volume}/${volumeId}/${id}`,
  skill: (volume: string, volumeId: string, skillId: string) => `#/skill/${volume}/${volumeId}/${skillId}`,
  newSkill: () => '#/skill/new',
  trash: () => '#/trash',
};

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
