// Progressive disclosure of skills in the chat, against the local fake of the Messages API: the
// first request carries every readable skill's name and description and, of their bodies, only
// the few most relevant within a fixed budget; the model reads a skill's whole file, or one of
// its files, through tools the server answers within the same request; a skill the caller may
// not read is answered with an error, never its body.
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSkillSource } from '../../shared/src/documents/volume-index';
import { volumeRoom } from '../../shared/src/rooms';
import { mintUserToken } from '../src/access/tokens';
import { UP_FRONT_SKILLS_BUDGET_TOKENS } from '../src/chat/prompt';
import { postChat } from './harness/chat-stream';
import { startFakeAnthropic, type FakeAnthropic } from './harness/fake-anthropic';
import { startTestServer } from './harness/in-process';

const SECRET = 'chat-skills-secret-0123456789-abcdefghij';
let fake: FakeAnthropic;
let server: Awaited<ReturnType<typeof startTestServer>>;
let alice: string;
let eve: string;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  server = await startTestServer({ AUTH_SECRET: SECRET, ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url, CHAT_TIMEOUT_MS: '5000', CHAT_RATE_LIMIT_PER_MINUTE: '1000' });
  alice = await mintUserToken(SECRET, { sub: 'alice' });
  eve = await mintUserToken(SECRET, { sub: 'eve' });
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

/** An Agent Skills SKILL.md with no code: instructions in prose, as most published skills are. */
const instructionSkill = (id: string, description: string, body: string) =>
  `---\nname: ${id}\ndescription: ${description}\nlicense: Apache-2.0\nmetadata:\n  author: someone\n---\n\n# ${id}\n\n${body}\n`;

/** One of our skills, with code and a prose body. */
const codeSkill = (id: string, description: string, body: string) =>
  `---\nname: ${id}\nskill_id: ${id}\ntype: python\ndescription: ${description}\n---\n\n${body}\n\n## Code\n\n\`\`\`python\ndef execute(inputs):\n    return {}\n\`\`\`\n`;

/** Writes skills (and skill files: skill id → path → bytes) into a volume, as an import would. */
async function putSkills(owner: string, skills: Record<string, string>, files: Record<string, Record<string, Uint8Array>> = {}): Promise<void> {
  await server.rooms.use(volumeRoom('user', owner), (room) =>
    room.doc.transact(() => {
      for (const [id, source] of Object.entries(skills)) putSkillSource(room.doc, id, source);
      const all = room.doc.getMap<Y.Map<Uint8Array>>('skillFiles');
      for (const [id, byPath] of Object.entries(files)) {
        const map = new Y.Map<Uint8Array>();
        for (const [path, bytes] of Object.entries(byPath)) map.set(path, bytes);
        all.set(id, map);
      }
    }),
  );
}

/** A prose paragraph about tides, long enough that a few hundred of them would swamp a prompt. */
const prose = (marker: string, chars: number) => `${marker}. ${'Follow the tide tables, note the harbour and the hour, and write it plainly. '.repeat(Math.ceil(chars / 76))}`.slice(0, chars);

/** Every text a request to the fake carried in its messages (tool results included). */
function messageText(body: Record<string, unknown>): string {
  return JSON.stringify(body.messages);
}

const toolResults = (body: Record<string, unknown>) =>
  (body.messages as Array<{ content: unknown }>).flatMap((m) => (Array.isArray(m.content) ? (m.content as Array<{ type: string; tool_use_id?: string; content?: string; is_error?: boolean }>) : [])).filter((b) => b.type === 'tool_result');

describe('a library of 300 skills', () => {
  const ids: string[] = [];
  const skills: Record<string, string> = {};
  const descriptions: Record<string, string> = {};
  for (let i = 0; i < 300; i++) {
    const id = `tide-skill-${i}`;
    ids.push(id);
    descriptions[id] = `Guidance number ${i} for writing tide reports for harbour ${i}.`;
    // Two in three are instructions only; every body is 6,000 characters of prose.
    skills[id] = (i % 3 === 2 ? codeSkill : instructionSkill)(id, descriptions[id], prose(`BODY-OF-${id}-END`, 6000));
  }
  const ask = { messages: [{ role: 'user', content: 'How should I write a tide report for the harbour?' }], max_skills: 20 };

  it('costs the first request their names and descriptions, plus at most the fixed budget of bodies', async () => {
    await postChat(server.url, ask, alice);
    const before = String(fake.requests.at(-1)?.body.system);
    await putSkills('alice', skills);
    const { events } = await postChat(server.url, ask, alice);
    const after = String(fake.requests.at(-1)?.body.system);
    const used = events.find((e) => e.event === 'skills')?.data.skills_used as string[];

    // Every skill is listed by name and description.
    ids.forEach((id, i) => expect(after).toContain(`- ${id} (\`${id}\`, ${i % 3 === 2 ? 'python' : 'instructions'}): ${descriptions[id]}`));
    // The bodies that went in up front are the relevant ones the budget holds, no more.
    expect(used.length).toBeGreaterThan(0);
    expect(used.length).toBeLessThan(20);
    const bodiesIn = ids.filter((id) => after.includes(`BODY-OF-${id}-END`));
    expect(bodiesIn.sort()).toEqual(used.filter((id) => id.startsWith('tide-skill-')).sort());
    // The growth is bounded by the catalog lines (name, id, kind, description, punctuation) and the budget.
    const catalog = ids.reduce((n, id) => n + `- ${id} (\`${id}\`, instructions): ${descriptions[id]}\n`.length, 0);
    const budgetChars = UP_FRONT_SKILLS_BUDGET_TOKENS * 4;
    expect(after.length - before.length).toBeLessThanOrEqual(catalog + budgetChars + 200);
    // The bound means something: the bodies alone are 1.8 million characters, over ten times it.
    expect(Object.values(skills).reduce((n, s) => n + s.length, 0)).toBeGreaterThan(10 * (catalog + budgetChars));
  });

  it('carries a body only after the model asks for it with read_skill, in the next request', async () => {
    const { events: first } = await postChat(server.url, ask, alice);
    const used = first.find((e) => e.event === 'skills')?.data.skills_used as string[];
    const wanted = ids.find((id) => !used.includes(id)) ?? '';
    const marker = `BODY-OF-${wanted}-END`;
    expect(String(fake.requests.at(-1)?.body.system)).toContain(descriptions[wanted]);
    expect(String(fake.requests.at(-1)?.body.system)).not.toContain(marker);

    const start = fake.requests.length;
    fake.reply(
      { kind: 'stream', blocks: [{ type: 'text', text: ['Let me read that skill.'] }, { type: 'tool_use', id: 'r1', name: 'read_skill', input: { skill_id: wanted } }] },
      { kind: 'stream', blocks: [{ type: 'text', text: ['Here is how.'] }] },
    );
    const { events } = await postChat(server.url, ask, alice);
    const [asked, next] = fake.requests.slice(start);
    expect(messageText(asked?.body ?? {})).not.toContain(marker);
    expect(String(asked?.body.system)).not.toContain(marker);
    // The next request carries the whole file as read_skill's result (and still not in the system prompt).
    expect(toolResults(next?.body ?? {})).toEqual([expect.objectContaining({ tool_use_id: 'r1', content: skills[wanted] })]);
    expect(String(next?.body.system)).not.toContain(marker);
    // The app hears which skill was read (for its chip), never the read_skill call itself.
    expect(events.filter((e) => e.event === 'skill_read').map((e) => e.data)).toEqual([{ skill_id: wanted, name: wanted }]);
    expect(events.some((e) => e.event === 'tool_use')).toBe(false);
    expect(events.filter((e) => e.event === 'text').map((e) => e.data.text).join('')).toBe('Let me read that skill.\n\nHere is how.');
    // The round the server answered comes back for the app to keep in its conversation.
    const done = events.find((e) => e.event === 'done')?.data as { stop_reason: string; turns: Array<{ role: string; content: unknown }> };
    expect(done.stop_reason).toBe('end_turn');
    expect(done.turns.map((t) => t.role)).toEqual(['assistant', 'user']);
    expect(JSON.stringify(done.turns[1])).toContain(marker);
  });
});

describe('skill files', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x01, 0x80]);
  const script = 'import sys\n# Extracts the tide heights — in metres.\nprint(sys.argv[1])\n';

  beforeAll(async () => {
    await putSkills(
      'alice',
      { 'tide-files': instructionSkill('tide-files', 'Tide extraction with a helper script; see scripts/extract.py.', 'Run [the script](scripts/extract.py).') },
      { 'tide-files': { 'scripts/extract.py': new TextEncoder().encode(script), 'assets/logo.png': png } },
    );
  });

  it('reads a text file as UTF-8 and a binary one as a note of its size, in the next request', async () => {
    const start = fake.requests.length;
    fake.reply(
      {
        kind: 'stream',
        blocks: [
          { type: 'tool_use', id: 'f1', name: 'read_skill_file', input: { skill_id: 'tide-files', path: 'scripts/extract.py' } },
          { type: 'tool_use', id: 'f2', name: 'read_skill_file', input: { skill_id: 'tide-files', path: 'assets/logo.png' } },
          { type: 'tool_use', id: 'f3', name: 'read_skill_file', input: { skill_id: 'tide-files', path: 'scripts/missing.py' } },
        ],
      },
      { kind: 'stream', blocks: [{ type: 'text', text: ['Read them.'] }] },
    );
    const { events } = await postChat(server.url, { messages: [{ role: 'user', content: 'Extract tide heights' }] }, alice);
    expect(messageText(fake.requests[start]?.body ?? {})).not.toContain('Extracts the tide heights');
    expect(toolResults(fake.requests[start + 1]?.body ?? {})).toEqual([
      { type: 'tool_result', tool_use_id: 'f1', content: script },
      { type: 'tool_result', tool_use_id: 'f2', content: '"assets/logo.png" is a binary file of 13 bytes; it cannot be shown as text.' },
      { type: 'tool_result', tool_use_id: 'f3', is_error: true, content: 'Skill "tide-files" has no file "scripts/missing.py". Its files: assets/logo.png, scripts/extract.py.' },
    ]);
    expect(events.filter((e) => e.event === 'skill_read').map((e) => e.data)).toEqual([
      { skill_id: 'tide-files', name: 'tide-files', path: 'scripts/extract.py' },
      { skill_id: 'tide-files', name: 'tide-files', path: 'assets/logo.png' },
    ]);
  });

  it('answers the server’s reads alongside tool calls the app carries out in the same turn', async () => {
    fake.reply({
      kind: 'stream',
      blocks: [
        { type: 'tool_use', id: 'm1', name: 'read_skill', input: { skill_id: 'tide-files' } },
        { type: 'tool_use', id: 'm2', name: 'add_node', input: { skill_id: 'tide-skill-2' } },
      ],
    });
    const { events } = await postChat(server.url, { messages: [{ role: 'user', content: 'Use the tide skill' }] }, alice);
    // The app gets add_node to carry out and the server's result for read_skill to send back with its own.
    expect(events.filter((e) => e.event === 'tool_use').map((e) => e.data.name)).toEqual(['add_node']);
    const done = events.find((e) => e.event === 'done')?.data as { stop_reason: string; tool_results: Array<{ tool_use_id: string; content: string }> };
    expect(done.stop_reason).toBe('tool_use');
    expect(done.tool_results).toEqual([expect.objectContaining({ tool_use_id: 'm1', content: expect.stringContaining('Run [the script](scripts/extract.py).') })]);
  });
});

describe('the original POST /chat', () => {
  it('offers only the reading tools, and answers them before it answers', async () => {
    const start = fake.requests.length;
    fake.reply(
      { kind: 'stream', blocks: [{ type: 'tool_use', id: 'o1', name: 'read_skill', input: { skill_id: 'tide-files' } }] },
      (body) => ({ kind: 'stream', blocks: [{ type: 'text', text: [JSON.stringify(body.messages).includes('Run [the script]') ? 'Read it.' : 'Never got it.'] }] }),
    );
    const res = await fetch(`${server.url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` }, body: JSON.stringify({ message: 'Extract tide heights' }) });
    expect(await res.json()).toMatchObject({ response: 'Read it.', skills_read: [{ skill_id: 'tide-files', name: 'tide-files' }] });
    expect((fake.requests[start]?.body.tools as Array<{ name: string }>).map((t) => t.name)).toEqual(['read_skill', 'read_skill_file']);
  });
});

describe('access', () => {
  const secret = instructionSkill('alice-private', 'Alice’s private notes on mooring.', 'SECRET-BODY-7f3a: moor at the north jetty.');

  beforeAll(async () => {
    await putSkills('alice', { 'alice-private': secret }, { 'alice-private': { 'notes.md': new TextEncoder().encode('SECRET-FILE-91bc') } });
  });

  const readBoth = () =>
    fake.reply(
      {
        kind: 'stream',
        blocks: [
          { type: 'tool_use', id: 'a1', name: 'read_skill', input: { skill_id: 'alice-private' } },
          { type: 'tool_use', id: 'a2', name: 'read_skill_file', input: { skill_id: 'alice-private', path: 'notes.md' } },
        ],
      },
      { kind: 'stream', blocks: [{ type: 'text', text: ['Done.'] }] },
    );

  it('the owner reads the skill and its file', async () => {
    const start = fake.requests.length;
    readBoth();
    await postChat(server.url, { messages: [{ role: 'user', content: 'mooring' }] }, alice);
    expect(messageText(fake.requests[start + 1]?.body ?? {})).toContain('SECRET-BODY-7f3a');
    expect(messageText(fake.requests[start + 1]?.body ?? {})).toContain('SECRET-FILE-91bc');
  });

  it('someone who may not read it gets a tool error, never its body, file or description', async () => {
    const start = fake.requests.length;
    readBoth();
    const { events, raw } = await postChat(server.url, { messages: [{ role: 'user', content: 'mooring' }] }, eve);
    const requests = fake.requests.slice(start);
    expect(requests).toHaveLength(2);
    expect(toolResults(requests[1]?.body ?? {})).toEqual([
      { type: 'tool_result', tool_use_id: 'a1', is_error: true, content: 'No skill "alice-private" that you can read. Use a skill_id from the list of skills.' },
      { type: 'tool_result', tool_use_id: 'a2', is_error: true, content: 'No skill "alice-private" that you can read. Use a skill_id from the list of skills.' },
    ]);
    for (const text of [JSON.stringify(requests.map((r) => r.body)), raw]) {
      expect(text).not.toContain('SECRET-BODY-7f3a');
      expect(text).not.toContain('SECRET-FILE-91bc');
      expect(text).not.toContain('private notes on mooring');
    }
    expect(events.some((e) => e.event === 'skill_read')).toBe(false);
  });
});

describe('limits', () => {
  it('stops a model that keeps reading without answering, saying so', async () => {
    const loop = { kind: 'stream' as const, blocks: [{ type: 'tool_use' as const, id: 'x', name: 'read_skill', input: { skill_id: 'tide-skill-0' } }] };
    const start = fake.requests.length;
    fake.reply(...Array.from({ length: 8 }, () => loop));
    const { events } = await postChat(server.url, { messages: [{ role: 'user', content: 'tides' }] }, alice);
    expect(fake.requests.length - start).toBe(8);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'too_many_reads', message: expect.stringContaining('Ask again') } });
  });
});
