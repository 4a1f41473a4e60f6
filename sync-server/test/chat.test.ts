// The chat proxy against a local HTTP fake of the Anthropic Messages API: streaming,
// the original /chat shape, skill retrieval, upstream failures in plain words, limits, and a key
// that never leaves the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat, type SseEvent } from './harness/chat-stream';
import { startFakeAnthropic, type FakeAnthropic } from './harness/fake-anthropic';
import { startTestServer } from './harness/in-process';

const KEY = 'sk-ant-test-0123456789-secret';
let fake: FakeAnthropic;
let server: Awaited<ReturnType<typeof startTestServer>>;
const seen: string[] = [];

beforeAll(async () => {
  fake = await startFakeAnthropic();
  server = await startTestServer({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url, CHAT_MODEL: 'claude-test', CHAT_TIMEOUT_MS: '3000' });
});
afterAll(async () => {
  await server.close();
  await fake.close();
  // Nothing any response carried contains the key.
  expect(seen.some((text) => text.includes(KEY))).toBe(false);
});

/** Posts to /api/chat and collects the server-sent events with their arrival times. */
async function streamChat(body: unknown, url = server.url): Promise<{ status: number; events: SseEvent[] }> {
  const { status, events, raw } = await postChat(url, body);
  seen.push(raw);
  return { status, events };
}

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  seen.push(text);
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
}

describe('streaming', () => {
  it('streams the answer token by token as it arrives', async () => {
    fake.reply({ kind: 'stream', delayMs: 120, blocks: [{ type: 'text', text: ['The ', 'ground ', 'state ', 'is ', '−1.137 Ha.'] }] });
    const { status, events } = await streamChat({ messages: [{ role: 'user', content: 'What is the H2 ground state energy?' }] });
    expect(status).toBe(200);
    const texts = events.filter((e) => e.event === 'text');
    expect(texts.map((e) => e.data.text)).toEqual(['The ', 'ground ', 'state ', 'is ', '−1.137 Ha.']);
    // Token by token: the first piece arrived well before the last, not all at the end.
    expect((texts.at(-1)?.at ?? 0) - (texts[0]?.at ?? 0)).toBeGreaterThan(300);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { stop_reason: 'end_turn' } });
    // The SDK sends the key upstream (as a bearer token); it never goes the other way.
    const sent = fake.requests.at(-1);
    expect(`${sent?.headers['x-api-key'] ?? ''} ${sent?.headers.authorization ?? ''}`).toContain(KEY);
    expect(sent?.body).toMatchObject({ model: 'claude-test', stream: true });
  });

  it('passes tool calls through for the app to carry out', async () => {
    fake.reply({ kind: 'stream', blocks: [{ type: 'text', text: ['Adding it.'] }, { type: 'tool_use', id: 'toolu_1', name: 'add_node', input: { skill_id: 'quantum-vqe' } }] });
    const { events } = await streamChat({ messages: [{ role: 'user', content: 'Add a VQE node' }] });
    expect(events.find((e) => e.event === 'tool_use')?.data).toEqual({ id: 'toolu_1', name: 'add_node', input: { skill_id: 'quantum-vqe' } });
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { stop_reason: 'tool_use' } });
    const tools = (fake.requests.at(-1)?.body.tools as Array<{ name: string }>).map((t) => t.name);
    expect(tools).toEqual(['add_node', 'connect_ports', 'set_input', 'run_workflow', 'save_skill', 'make_compound_skill', 'read_skill', 'read_skill_file', 'list_skill_suggestions']);
  });
});

describe('the original POST /chat shape', () => {
  it('returns response and skills_used', async () => {
    fake.reply({ kind: 'stream', blocks: [{ type: 'text', text: ['Use the ', 'SPICE skill.'] }] });
    const { status, json } = await post('/chat', { user_id: 'u', team_id: 't', message: 'How do I simulate a resistor divider circuit?', include_skills: true, max_skills: 2 });
    expect(status).toBe(200);
    expect(json.response).toBe('Use the SPICE skill.');
    expect(json.skills_used).toContain('spice-resistor');
    expect((json.skills_used as string[]).length).toBeLessThanOrEqual(2);
  });
});

describe('skill retrieval', () => {
  it('carries every skill by name and the relevant ones in full (circuits → SPICE)', async () => {
    const { events } = await streamChat({ messages: [{ role: 'user', content: 'Simulate a resistor circuit voltage divider with ngspice' }] });
    const used = events.find((e) => e.event === 'skills')?.data.skills_used as string[];
    expect(used[0]).toBe('spice-resistor');
    const system = String(fake.requests.at(-1)?.body.system);
    for (const name of ['Hamiltonian Builder', 'VQE Optimizer', 'Plot Convergence', 'Cube Renderer']) expect(system).toContain(name);
    expect(system).toContain('.dc V1');
    expect(system).not.toContain('def execute(inputs)\n    from qiskit');
  });

  it('ranks quantum questions to the quantum skills', async () => {
    const { events } = await streamChat({ messages: [{ role: 'user', content: 'Find the ground state energy of H2 with a variational eigensolver' }], max_skills: 2 });
    const used = events.find((e) => e.event === 'skills')?.data.skills_used as string[];
    expect(used).toContain('quantum-vqe');
    expect(used).not.toContain('spice-resistor');
  });
});

describe('upstream failures become clear messages', () => {
  // The server retries a 429 or a 5xx once before giving up, so those are queued twice.
  const failures: Array<[string, Parameters<FakeAnthropic['reply']>[0], number, string, RegExp]> = [
    ['a 429', { kind: 'status', status: 429, type: 'rate_limit_error', message: 'slow down' }, 2, 'upstream_rate_limited', /rate limiting.*Wait a minute/],
    ['a 500', { kind: 'status', status: 500, type: 'api_error', message: 'boom' }, 2, 'upstream_unavailable', /failed \(500\)/],
    ['a 401', { kind: 'status', status: 401, type: 'authentication_error', message: 'invalid x-api-key' }, 1, 'upstream_auth', /ANTHROPIC_API_KEY/],
  ];
  for (const [what, reply, times, code, pattern] of failures) {
    it(`${what} over the stream`, async () => {
      for (let i = 0; i < times; i++) fake.reply(reply);
      const { events } = await streamChat({ messages: [{ role: 'user', content: 'hello' }] });
      const error = events.find((e) => e.event === 'error')?.data;
      expect(error).toMatchObject({ code });
      expect(String(error?.message)).toMatch(pattern);
    });
  }

  it('an upstream that never answers times out with a clear message', async () => {
    const slow = await startTestServer({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url, CHAT_TIMEOUT_MS: '1000' });
    try {
      // The server retries once, so the fake stays silent twice.
      fake.reply({ kind: 'hang' }, { kind: 'hang' });
      const { events } = await streamChat({ messages: [{ role: 'user', content: 'hello' }] }, slow.url);
      expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'upstream_timeout', message: expect.stringContaining('did not answer within 1 s') } });
    } finally {
      await slow.close();
    }
  });

  it('a dropped stream keeps what arrived and says so', async () => {
    fake.reply({ kind: 'drop', text: ['Partial ', 'answer'] });
    const { events } = await streamChat({ messages: [{ role: 'user', content: 'hello' }] });
    expect(events.filter((e) => e.event === 'text').map((e) => e.data.text).join('')).toBe('Partial answer');
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'stream_dropped' } });
  });

  it('the original shape answers with a status and the same words', async () => {
    fake.reply({ kind: 'status', status: 429, type: 'rate_limit_error', message: 'slow down' }, { kind: 'status', status: 429, type: 'rate_limit_error', message: 'slow down' });
    const { status, json } = await post('/chat', { message: 'hi' });
    expect(status).toBe(429);
    expect(json.error).toMatchObject({ code: 'upstream_rate_limited' });
  });
});

describe('limits and configuration', () => {
  it('rejects bad chat requests with a 400 that says what is wrong', async () => {
    expect((await post('/api/chat', { messages: [] })).json.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('at least one message') });
    expect((await post('/api/chat', { messages: [{ role: 'system', content: 'x' }] })).status).toBe(400);
    expect((await post('/chat', { message: '' })).json.error).toMatchObject({ code: 'bad_request' });
  });

  it('without a key, says how to configure one; the rest of the server is unaffected', async () => {
    const bare = await startTestServer({ ANTHROPIC_API_KEY: '' });
    try {
      const { events } = await streamChat({ messages: [{ role: 'user', content: 'hello' }] }, bare.url);
      expect(events.find((e) => e.event === 'error')?.data).toMatchObject({ code: 'not_configured', message: expect.stringContaining('ANTHROPIC_API_KEY') });
      // The refusal comes first, so the app keeps the message waiting rather than starting an answer.
      expect(events[0]?.event).toBe('error');
      const original = await fetch(`${bare.url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
      expect(original.status).toBe(503);
      expect((await fetch(`${bare.url}/api/skills`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });

  it('limits chat requests per identity', async () => {
    const limited = await startTestServer({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url, CHAT_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${limited.url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
        statuses.push(res.status);
        seen.push(await res.text());
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
