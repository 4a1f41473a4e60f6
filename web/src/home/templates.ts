/** A workflow template bundled with the app: `skills/templates/<id>.workflow.json`. */
export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  /** The skills its nodes use, in node order, each once. */
  skillIds: string[];
  /** The file's text, imported as a workflow file is. */
  text: string;
}

// Each template is a chunk of its own, fetched when a gallery first shows (never before the first
// render) and precached by the service worker with the rest of the app's JavaScript, so the
// templates work offline once the app is installed.
const FILES = import.meta.glob<string>('../../../skills/templates/*.workflow.json', { query: '?raw', import: 'default' });

const SUFFIX = '.workflow.json';

/** Reads what a gallery shows of a template; the full check is the file import's. */
function templateOf(path: string, text: string): WorkflowTemplate {
  const id = path.slice(path.lastIndexOf('/') + 1, -SUFFIX.length);
  const file = JSON.parse(text) as { name?: string; description?: string; nodes?: Array<{ skillId?: string }> };
  const skillIds = [...new Set((file.nodes ?? []).flatMap((n) => (typeof n.skillId === 'string' ? [n.skillId] : [])))];
  return { id, name: file.name || id, description: file.description ?? '', skillIds, text };
}

let loading: Promise<WorkflowTemplate[]> | null = null;

/** Every bundled template, by id; loaded once (a failed load is tried again next time). */
export function loadTemplates(): Promise<WorkflowTemplate[]> {
  loading ??= Promise.all(Object.entries(FILES).map(async ([path, load]) => templateOf(path, await load())))
    .then((list) => list.sort((a, b) => a.id.localeCompare(b.id)))
    .catch((e: unknown) => {
      loading = null;
      throw e;
    });
  return loading;
}

/** How the gallery names a skill type's runtime. */
const RUNTIME_NAMES: Record<string, string> = { python: 'Python', qiskit: 'Python', javascript: 'JavaScript', threejs: 'Three.js', ngspice: 'ngspice', webgpu: 'WebGPU' };

/** The runtimes a template's nodes run in, as people call them, from the type of each node's skill. */
export function runtimesOf(template: WorkflowTemplate, typeOf: (skillId: string) => string | undefined): string[] {
  const names = template.skillIds.flatMap((id) => {
    const type = typeOf(id);
    return type ? [RUNTIME_NAMES[type] ?? type] : [];
  });
  return [...new Set(names)];
}
