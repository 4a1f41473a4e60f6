import { useEffect, useState } from 'preact/hooks';
import type { Catalog } from '../documents/catalog';
import { useRooms } from '../documents/hooks';
import { useFailure, useHomeIndex } from '../panels/home-index';
import { importWorkflow } from '../panels/workflow-actions';
import { hrefOf } from '../router';
import { loadTemplates, runtimesOf, type WorkflowTemplate } from './templates';

type Loaded = { state: 'loading' } | { state: 'ready'; templates: WorkflowTemplate[] } | { state: 'failed'; message: string };

function useTemplates(): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    loadTemplates().then(
      (templates) => live && setLoaded({ state: 'ready', templates }),
      (e: unknown) => live && setLoaded({ state: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return loaded;
}

/**
 * The example workflows shipped with the app. "Use this template" copies one into the person's
 * own volume, as importing its file would, and opens it; Run then runs it. `compact`: the short
 * list under an empty workflows panel, beside the home view's full gallery.
 */
export function TemplatesGallery({ catalog, compact = false }: { catalog: Catalog; compact?: boolean }) {
  const loaded = useTemplates();
  const rooms = useRooms();
  const { home, room } = useHomeIndex();
  // The runtimes show once the catalog has the skills (the parser loads after the first render).
  const typeOf = (skillId: string) => catalog.lookup(skillId)?.type;
  const { failure, watch } = useFailure();
  const [using, setUsing] = useState<string | null>(null);

  const use = (template: WorkflowTemplate) => {
    setUsing(template.id);
    const made = importWorkflow(rooms, home, template.text, `${template.id}.workflow.json`).then((result) => {
      if (!result.ok) throw new Error(`the template ${template.id} is not a valid workflow file (${result.error.join('; ')})`);
      location.hash = hrefOf.workflow(home.volume, home.volumeId, result.value);
    });
    watch(`Using the template "${template.name}"`, made.finally(() => setUsing(null)));
  };

  const testId = compact ? 'templates-list' : 'templates-gallery';
  if (loaded.state === 'failed') {
    return (
      <p class="panel-error" role="alert" data-testid={testId}>
        The example workflows could not be loaded ({loaded.message}). Reload the app to try again.
      </p>
    );
  }
  return (
    <section class={compact ? 'templates compact' : 'templates'} data-testid={testId} aria-busy={loaded.state === 'loading'}>
      <h2 class="templates-title">{compact ? 'Start from an example' : 'Start from an example workflow'}</h2>
      {failure && (
        <p class="panel-error" role="alert" data-testid="template-failure">
          {failure}
        </p>
      )}
      <ul class="template-cards">
        {loaded.state === 'ready' &&
          loaded.templates.map((template) => (
            <li key={template.id} class="template-card" data-testid="template-card" data-template={template.id}>
              <div class="template-name">{template.name}</div>
              <div class="template-description" title={template.description} data-testid="template-description">
                {template.description}
              </div>
              <div class="template-foot">
                {runtimesOf(template, typeOf).map((runtime) => (
                  <span key={runtime} class="kind-badge" data-testid="template-runtime" title="A runtime its nodes run in">
                    {runtime}
                  </span>
                ))}
                <button
                  type="button"
                  class={compact ? 'small primary' : 'primary'}
                  data-testid="use-template"
                  disabled={!room || using !== null}
                  title="Copy this workflow into your own workflows and open it"
                  onClick={() => use(template)}
                >
                  {using === template.id ? 'Copying…' : 'Use this template'}
                </button>
              </div>
            </li>
          ))}
      </ul>
    </section>
  );
}
