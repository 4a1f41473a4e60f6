import { lazy, Suspense } from 'preact/compat';
import { useMemo, useState } from 'preact/hooks';
import type { Catalog } from '../documents/catalog';
import { useIdentity } from '../documents/hooks';
import { homeVolume } from '../documents/identity';
import { hrefOf } from '../router';
import { SkillCard } from './skill-card';
import { SkillImportZone } from './skill-import-zone';
import { groupByCategory, searchSkills } from './skill-library';

// Fetched as soon as the library's own code is (it too loads after first paint), so the library
// opened offline has it; if it still cannot load, the library goes on without suggestions.
const loadSuggestions = import('./skill-suggestions').catch(() => ({ default: () => null }));
const SkillSuggestions = lazy(() => loadSuggestions);

/**
 * Every skill the person can read, searchable and grouped by category, ready to drag onto a
 * workflow; skills from elsewhere are dropped or picked onto it.
 */
export function SkillsPanel({ catalog }: { catalog: Catalog }) {
  const home = homeVolume(useIdentity());
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupByCategory(searchSkills(catalog.entries, query)), [catalog, query]);
  return (
    <div class="panel" data-testid="skills-panel">
      <SkillImportZone>
      <div class="create-row">
        <input
          type="search"
          placeholder="Search skills"
          aria-label="Search skills"
          value={query}
          data-testid="skill-search"
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
        <a class="button" href={hrefOf.newSkill()} data-testid="new-skill">
          New skill
        </a>
      </div>
      <Suspense fallback={null}>
        <SkillSuggestions catalog={catalog} />
      </Suspense>
      {catalog.entries.length === 0 && <p class="muted">Loading the skill library…</p>}
      {catalog.entries.length > 0 && groups.length === 0 && (
        <p class="muted" data-testid="skills-no-match">
          No skill matches “{query.trim()}”.
        </p>
      )}
      {groups.map((group) => (
        <section key={group.category} class="skill-group" data-testid="skill-category" data-category={group.category}>
          <h3>
            {group.category} <span class="muted">({group.entries.length})</span>
          </h3>
          <ul class="skill-list">
            {group.entries.map((entry) => (
              <SkillCard
                key={`${entry.volume.volume}/${entry.volume.volumeId}/${entry.skillId}`}
                entry={entry}
                home={home}
                shadowed={catalog.entry(entry.skillId) !== entry}
              />
            ))}
          </ul>
        </section>
      ))}
      </SkillImportZone>
    </div>
  );
}
