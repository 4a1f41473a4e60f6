import { useEffect, useState } from 'preact/hooks';
import { listSkillSources } from '../../shared/src/documents/volume-index';
import { SYSTEM_VOLUME_ID, volumeRoom } from '../../shared/src/rooms';
import { parseSkill, type Skill } from '../../shared/src/skill/parse';
import { openRoom, type SyncStatus } from './sync';

/** The system skills, read live from the system volume's document. */
function useSystemSkills(): { status: SyncStatus; skills: Skill[] } {
  const [status, setStatus] = useState<SyncStatus>('connecting');
  const [skills, setSkills] = useState<Skill[]>([]);
  useEffect(() => {
    const { doc, provider } = openRoom(volumeRoom('system', SYSTEM_VOLUME_ID));
    const refresh = () => {
      const parsed = [...listSkillSources(doc)].map(([id, source]) => parseSkill(source, `${id}.md`));
      setSkills(parsed.flatMap((p) => (p.ok ? [p.value] : [])));
    };
    provider.on('status', ({ status }: { status: SyncStatus }) => setStatus(status));
    doc.on('update', refresh);
    return () => {
      provider.destroy();
      doc.destroy();
    };
  }, []);
  return { status, skills };
}

export function App() {
  const { status, skills } = useSystemSkills();
  return (
    <main>
      <header>
        <h1>LLMunix</h1>
        <span class={`status status-${status}`} data-testid="sync-status">
          {status}
        </span>
      </header>
      <p>
        The workspace (sessions, canvas, chat) is not built yet. The sync server is running; these are the system
        skills it serves:
      </p>
      <ul data-testid="skills">
        {skills.map((s) => (
          <li key={s.frontmatter.skill_id}>
            <strong>{s.frontmatter.name}</strong> <code>{s.frontmatter.type}</code>
            <div>{s.frontmatter.description}</div>
            <small>
              in: {s.frontmatter.inputs.map((p) => `${p.name}: ${p.type}`).join(', ') || '—'} · out:{' '}
              {s.frontmatter.outputs.map((p) => `${p.name}: ${p.type}`).join(', ') || '—'}
            </small>
          </li>
        ))}
      </ul>
    </main>
  );
}
