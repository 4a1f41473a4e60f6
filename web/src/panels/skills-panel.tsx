import type { Catalog } from '../documents/catalog';

// Replaced by the skill library (search, categories, ports, drag onto the canvas).
export function SkillsPanel(_props: { catalog: Catalog }) {
  return <div class="panel" data-testid="skills-panel" />;
}
