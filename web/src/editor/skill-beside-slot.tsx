import { lazy, Suspense } from 'preact/compat';
import { useRefitWhenOpened } from '../canvas/refit-when-opened';
import { skillBeside } from '../canvas/skill-beside';
import type { Catalog } from '../documents/catalog';
import { useStore } from '../documents/store';

// The editor beside the canvas loads with its first use, CodeMirror and all.
const SkillBesidePanel = lazy(() => import('./skill-beside-panel'));

/** Where the canvas shows a skill's editor beside the flow, when one is open (canvas/skill-beside.ts). */
export function SkillBesideSlot({ catalog }: { catalog: Catalog }) {
  const beside = useStore(skillBeside);
  useRefitWhenOpened(beside !== null);
  if (!beside) return null;
  return (
    <aside class="skill-beside" data-testid="skill-beside" data-skill-id={beside.skillId}>
      <Suspense fallback={<p class="empty">Opening the editor…</p>}>
        <SkillBesidePanel key={beside.skillId} catalog={catalog} skillId={beside.skillId} {...(beside.line === undefined ? {} : { line: beside.line })} />
      </Suspense>
    </aside>
  );
}
