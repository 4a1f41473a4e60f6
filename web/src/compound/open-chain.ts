import { useEffect, useRef, useState } from 'preact/hooks';
import { readWorkflowGraph } from '../../../shared/src/documents/workflow';
import type { Catalog } from '../documents/catalog';
import { useRooms } from '../documents/hooks';
import type { Room } from '../documents/rooms';
import { draftRoomOf, prepareDraft } from './compound-draft';

/** How long opening waits for a compound skill to reach the catalog (parser, volume sync). */
const SKILL_WAIT_MS = 5000;

/** One open compound: the node opened, its skill, its draft and the room the node is in. */
export interface OpenLevel {
  nodeId: string;
  skillId: string;
  /** The node's label, else the skill's name: what the breadcrumb says. */
  title: string;
  parent: Room;
  draft: Room;
}

/** The levels of the compound nodes a route opens, outermost first, or why they cannot open. */
export type OpenChain = { state: 'opening' } | { state: 'open'; levels: OpenLevel[] } | { state: 'failed'; message: string };

/**
 * Opens the chain of compound nodes `open` names from the workflow room `room`: each node is
 * looked up in the document of the level above it, its skill waited for, and its draft room
 * opened and seeded. Rooms are held while the chain is shown. Without a volume of one's own
 * (`userId` null: a share link's holder) there is nowhere to keep a draft, so nothing opens. `generation` opens it again (after
 * a save made the node use another skill).
 */
export function useOpenChain(room: string, open: readonly string[], catalog: Catalog, userId: string | null, generation: number): OpenChain {
  const rooms = useRooms();
  const [chain, setChain] = useState<OpenChain>({ state: 'opening' });
  const latest = useRef(catalog);
  latest.current = catalog;
  const key = open.join('/');
  useEffect(() => {
    if (userId === null) {
      setChain({ state: 'failed', message: 'Opening a compound node needs an account of your own: its inside is edited in a draft in your volume. Sign in to open it.' });
      return;
    }
    let live = true;
    const held: Room[] = [];
    const hold = async (name: string) => {
      const r = rooms.acquire(name);
      held.push(r);
      await r.whenLocal;
      return r;
    };
    void (async () => {
      const levels: OpenLevel[] = [];
      let parent = await hold(room);
      for (const nodeId of open) {
        const node = readWorkflowGraph(parent.doc).nodes.find((n) => n.id === nodeId);
        if (!node) return live && setChain({ state: 'failed', message: `There is no node "${nodeId}" here any more; go back and open another.` });
        const skill = await latest.current.whenSkill(node.skillId, SKILL_WAIT_MS);
        if (skill?.kind !== 'compound') {
          return live && setChain({ state: 'failed', message: `Node "${node.label || nodeId}" uses "${node.skillId}", which is ${skill ? 'not a compound skill' : 'in none of your volumes'}: it has no inside to open.` });
        }
        const draft = await hold(draftRoomOf(userId, node.skillId));
        if (!live) return;
        prepareDraft(draft.doc, skill, latest.current.entry(node.skillId)?.source ?? '');
        levels.push({ nodeId, skillId: node.skillId, title: node.label || skill.frontmatter.name, parent, draft });
        parent = draft;
      }
      if (live) setChain({ state: 'open', levels });
    })();
    return () => {
      live = false;
      setChain({ state: 'opening' });
      for (const r of held) rooms.release(r);
    };
  }, [rooms, room, key, userId, generation]);
  return chain;
}
