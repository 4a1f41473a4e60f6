import type { Catalog } from '../documents/catalog';
import type { Route } from '../router';

// Replaced by the skill viewer/editor (Markdown, inline validation errors).
export function SkillEditor(_props: { route: Extract<Route, { view: 'skill' | 'new-skill' }>; catalog: Catalog }) {
  return <div class="skill-editor" />;
}
