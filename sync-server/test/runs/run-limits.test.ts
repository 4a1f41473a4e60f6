// The run service's limits on a real server with the real JavaScript sandbox: the concurrency
// limit and its queue (RUN_CONCURRENCY, RUN_QUEUE_MAX), cancelling a looping skill and a queued
// run, the per-node and per-run time limits, how many finished runs are kept, and shutdown.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../../shared/src/access';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { ConfigError, loadConfig } from '../../src/config';
import type { PreparedRun } from '../../src/library/types';
import { RunsBusyError, type RunHandle, type RunView, type StartOptions } from '../../src/runs/types';
import { node } from '../headless/helpers';
import { startTestServer } from '../harness/in-process';
import { teardownEachTest } from '../harness/teardown';
import { preparer, SPIN, writeSkills } from './prepared';

const alice: Identity = { kind: 'user', sub: 'alice', teams: [], team_admin: [] };
const { cleanups } = teardownEachTest('llmunix-run-limits-');
let prepare: Awaited<ReturnType<typeof preparer>>;

let skillsDir: string;

beforeAll(async () => {
  skillsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-run-skills-'));
  await writeSkills(skillsDir, { spin: SPIN });
  prepare = await preparer(skillsDir);
});
afterAll(() => fs.rm(skillsDir, { recursive: true, force: true }));

async function serverWith(env: Record<string, string>) {
  const server = await startTestServer(env);
  cleanups.push(() => server.close());
  return server;
}

const spin = (): PreparedRun => prepare({ nodes: [node('s', 'spin')], edges: [] } satisfies WorkflowGraph, { name: 'spin' });
const quick = (): PreparedRun => prepare({ nodes: [node('w', 'sample-weather-data', { days: 1 })], edges: [] }, { name: 'quick' });

/** Starts a run and resolves once `until` holds for one of its progress views. */
function startUntil(server: Awaited<ReturnType<typeof serverWith>>, run: PreparedRun, until: (v: RunView) => boolean, options: Partial<StartOptions> = {}): Promise<RunHandle> {
  return new Promise((resolve) => {
    const handle: { current?: RunHandle } = {};
    const check = (v: RunView) => {
      if (until(v) && handle.current) resolve(handle.current);
    };
    handle.current = server.runs.start(run, { identity: alice, trigger: 'api', ...options, onProgress: check });
    check(handle.current.view());
  });
}
const spinning = (v: RunView) => v.nodes.s?.status === 'running';

describe('run limits', () => {
  it('runs RUN_CONCURRENCY at once, queues RUN_QUEUE_MAX more in order, and refuses the next with RunsBusyError', async () => {
    const server = await serverWith({ RUN_CONCURRENCY: '1', RUN_QUEUE_MAX: '1' });
    const running = await startUntil(server, spin(), spinning);
    const waiting = server.runs.start(quick(), { identity: alice, trigger: 'api' });
    expect(waiting.view()).toMatchObject({ state: 'queued', queue_position: 0, progress: { done: 0, total: 1, running: [] } });
    expect(waiting.view().nodes).toEqual({ w: { status: 'queued' } });
    expect(() => server.runs.start(quick(), { identity: alice, trigger: 'api' })).toThrow(RunsBusyError);
    expect(() => server.runs.start(quick(), { identity: alice, trigger: 'api' })).toThrow(/RUN_QUEUE_MAX=1/);

    // Cancelling the looping run frees its slot: the queued one runs next.
    running.cancel();
    const cancelled = await running.done;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.nodes.s?.status).toBe('cancelled');
    expect(cancelled.error).toBeUndefined();
    expect((await waiting.done).state).toBe('done');
  });

  it('cancels a queued run without running it', async () => {
    const server = await serverWith({ RUN_CONCURRENCY: '1' });
    const running = await startUntil(server, spin(), spinning);
    const first = server.runs.start(quick(), { identity: alice, trigger: 'api' });
    const second = server.runs.start(quick(), { identity: alice, trigger: 'api' });
    expect(second.view().queue_position).toBe(1);
    first.cancel();
    const view = await first.done;
    expect(view).toMatchObject({ state: 'cancelled', nodes: { w: { status: 'cancelled' } } });
    expect(view.started_at).toBeUndefined();
    expect(view.finished_at).toBeDefined();
    expect(second.view().queue_position).toBe(0);
    running.cancel();
    expect((await second.done).state).toBe('done');
    // Cancelling a run that is over changes nothing.
    first.cancel();
    expect(first.view()).toEqual(view);
  });

  it('fails a run that outlives RUN_TIMEOUT_MS, saying the limit and how to raise it', async () => {
    const server = await serverWith({ RUN_TIMEOUT_MS: '800' });
    const view = await server.runs.start(spin(), { identity: alice, trigger: 'api' }).done;
    expect(view.state).toBe('error');
    expect(view.error).toMatch(/longer than the server's limit of 800 ms \(RUN_TIMEOUT_MS\).*raise RUN_TIMEOUT_MS/);
    expect(view.nodes.s?.status).toBe('cancelled');
  });

  it('fails a node that outlives RUN_NODE_TIMEOUT_MS, naming the node, its skill and the limit', async () => {
    const server = await serverWith({ RUN_NODE_TIMEOUT_MS: '500' });
    const view = await server.runs.start(spin(), { identity: alice, trigger: 'api' }).done;
    expect(view.state).toBe('error');
    expect(view.nodes.s?.status).toBe('error');
    expect(view.error).toBe(
      `node "s" (skill spin) failed: timed out after 500 ms; stop the loop, or raise the skill's estimated_time_ms (the server's per-node limit is RUN_NODE_TIMEOUT_MS=500)`,
    );
  });

  it('keeps at most RUNS_KEEP_MAX finished runs, the newest', async () => {
    const server = await serverWith({ RUNS_KEEP_MAX: '1' });
    const a = server.runs.start(quick(), { identity: alice, trigger: 'api' });
    await a.done;
    expect(server.runs.get(a.id, alice)).toBeDefined();
    const b = server.runs.start(quick(), { identity: alice, trigger: 'api' });
    await b.done;
    expect(server.runs.get(a.id, alice)).toBeUndefined();
    expect(server.runs.get(b.id, alice)?.view().state).toBe('done');
  });

  it('cancels every run at shutdown, and takes no new one', async () => {
    const server = await startTestServer({ RUN_CONCURRENCY: '1' });
    const running = await startUntil(server, spin(), spinning);
    const queued = server.runs.start(quick(), { identity: alice, trigger: 'api' });
    await server.close();
    expect((await running.done).state).toBe('cancelled');
    expect((await queued.done).state).toBe('cancelled');
    expect(() => server.runs.start(quick(), { identity: alice, trigger: 'api' })).toThrow(/shutting down/);
  });

  it('refuses bad RUN_* settings at start, naming each', () => {
    const bad = () => loadConfig({ RUN_CONCURRENCY: '0', RUN_QUEUE_MAX: '-1', RUN_TIMEOUT_MS: 'soon' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/RUN_CONCURRENCY="0": must be at least 1 run at a time/);
    expect(bad).toThrow(/RUN_QUEUE_MAX="-1"/);
    expect(bad).toThrow(/RUN_TIMEOUT_MS="soon"/);
    expect(loadConfig({}).runs).toEqual({ concurrency: 2, queueMax: 64, nodeTimeoutMs: 30_000, runTimeoutMs: 300_000, keepMs: 3_600_000, keepMax: 1000 });
  });
});
