import { lazy, Suspense } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { WorkflowCanvas } from './canvas/workflow-canvas';
import { useCatalog, type Catalog } from './documents/catalog';
import { RoomsContext } from './documents/hooks';
import { currentIdentity } from './documents/identity';
import { afterFirstPaint } from './documents/after-first-paint';
import { forgetBesideClosedAsDeleted } from './panels/forget-deleted';
import { RoomSet } from './documents/rooms';
import { TrashLink } from './panels/trash-link';
import { UnlistedWorkflow } from './panels/unlisted-workflow';
import { WorkflowsPanel } from './panels/workflows-panel';
import { useRoute, type Route } from './router';
import { TemplatesGallery } from './home/templates-gallery';
import { IdentityControl } from './shell/identity-control';
import { ShareLink } from './shell/share-link';
import { SignIn } from './shell/sign-in';
import { StatusBadge } from './shell/status-badge';
import { AssistantsButton } from './shell/assistants-button';
import { StorageButton } from './shell/storage-button';
import { UpdatePrompt } from './shell/update-prompt';

// The first screen is a workflow's canvas or the home; sessions, the skill library and the skill
// editor load when first shown, and are fetched right after the first paint so they open at once.
const loadSessionView = () => import('./panels/session-view');
const loadSessionsPanel = () => import('./panels/sessions-panel');
const loadSkillEditor = () => import('./panels/skill-editor');
const loadSkillsPanel = () => import('./panels/skills-panel');
const loadTrashView = () => import('./panels/trash-view');
const SessionView = lazy(() => loadSessionView().then((m) => ({ default: m.SessionView })));
const SessionsPanel = lazy(() => loadSessionsPanel().then((m) => ({ default: m.SessionsPanel })));
const SkillEditor = lazy(() => loadSkillEditor().then((m) => ({ default: m.SkillEditor })));
const SkillsPanel = lazy(() => loadSkillsPanel().then((m) => ({ default: m.SkillsPanel })));
const TrashView = lazy(() => loadTrashView().then((m) => ({ default: m.TrashView })));
// An open compound node (web/src/compound): loaded when one is opened.
const CompoundView = lazy(() => import('./compound/compound-view').then((m) => ({ default: m.CompoundView })));
afterFirstPaint(() => void Promise.all([loadSessionView(), loadSessionsPanel(), loadSkillEditor(), loadSkillsPanel(), loadTrashView()]).catch(() => undefined));

const opening = <div class="empty">Opening…</div>;

type Tab = 'workflows' | 'sessions' | 'skills';

function tabFor(route: Route): Tab | undefined {
  if (route.view === 'session') return 'sessions';
  if (route.view === 'skill' || route.view === 'new-skill') return 'skills';
  return undefined;
}

export function App() {
  const route = useRoute();
  // The app's one set of open rooms, shared by every view through RoomsContext.
  const [rooms] = useState(() => {
    const set = new RoomSet(currentIdentity);
    if (route.view === 'workflow' || route.view === 'session') set.openFirst(route.room);
    return set;
  });
  useEffect(() => {
    // Edits made offline in rooms nobody opens again still reach the server.
    rooms.resumeUnsent();
    const stopForgetting = forgetBesideClosedAsDeleted(rooms);
    return () => {
      stopForgetting();
      rooms.destroy();
    };
  }, [rooms]);
  const catalog = useCatalog(rooms);
  const [tab, setTab] = useState<Tab>(() => tabFor(route) ?? 'workflows');
  return (
    <RoomsContext.Provider value={rooms}>
      <div class="app">
        <header class="topbar">
          <a class="brand" href="#/">
            LLMunix
          </a>
          <StatusBadge />
          <SignIn />
          <span class="spacer" />
          <AssistantsButton />
          <StorageButton />
          <IdentityControl />
        </header>
        <aside class="sidebar">
          <nav class="tabs" role="tablist">
            {(['workflows', 'sessions', 'skills'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} class={tab === t ? 'active' : ''} data-testid={`tab-${t}`} onClick={() => setTab(t)}>
                {t[0]?.toUpperCase() + t.slice(1)}
              </button>
            ))}
          </nav>
          {tab === 'workflows' && <WorkflowsPanel catalog={catalog} />}
          <Suspense fallback={opening}>
            {tab === 'sessions' && <SessionsPanel />}
            {tab === 'skills' && <SkillsPanel catalog={catalog} />}
          </Suspense>
          <TrashLink />
        </aside>
        <main class="main">
          <MainView route={route} catalog={catalog} />
        </main>
        <UpdatePrompt />
      </div>
    </RoomsContext.Provider>
  );
}

/**
 * Gives the workflow's own canvas the keyboard back when an open compound is left, as it had it
 * before: an element made inert loses focus, and nothing else would give it back.
 */
function useKeyboardBackOnLeave(open: boolean) {
  const box = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) box.current?.querySelector<HTMLElement>('[data-testid="workflow-canvas"]')?.focus();
    wasOpen.current = open;
  }, [open]);
  return box;
}

function MainView({ route, catalog }: { route: Route; catalog: Catalog }) {
  const workflowBox = useKeyboardBackOnLeave(route.view === 'workflow' && route.open !== undefined);
  switch (route.view) {
    case 'workflow':
      return (
        <>
          {/* Kept under an open compound, untouchable, so going back finds it as it was. */}
          <div inert={route.open !== undefined} ref={workflowBox}>
            <WorkflowCanvas key={route.room} route={route} catalog={catalog} />
          </div>
          <UnlistedWorkflow key={`unlisted:${route.room}`} route={route} />
          {route.open && (
            <Suspense fallback={opening}>
              <CompoundView key={`open:${route.room}`} route={route} catalog={catalog} />
            </Suspense>
          )}
        </>
      );
    case 'session':
      return (
        <Suspense fallback={opening}>
          <SessionView key={route.room} route={route} catalog={catalog} />
        </Suspense>
      );
    case 'skill':
    case 'new-skill':
      return (
        <Suspense fallback={opening}>
          <SkillEditor key={route.view === 'skill' ? `${route.volume}/${route.volumeId}/${route.skillId}` : 'new'} route={route} catalog={catalog} />
        </Suspense>
      );
    case 'share':
      return <ShareLink token={route.token} />;
    case 'trash':
      return (
        <Suspense fallback={opening}>
          <TrashView />
        </Suspense>
      );
    case 'not-found':
      return (
        <div class="empty" data-testid="not-found">
          Nothing lives at <code>{route.hash}</code>. Pick a workflow, session or skill on the left.
        </div>
      );
    case 'home':
      return (
        <div class="empty home" data-testid="home">
          <p>
            Open a workflow or session on the left, create one, or start from an example below. Everything you make is saved in
            this browser and synced when the server can be reached.
          </p>
          <TemplatesGallery catalog={catalog} />
        </div>
      );
  }
}
