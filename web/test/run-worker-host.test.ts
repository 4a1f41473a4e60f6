// The runtime host's protocol with its worker, against a scripted fake worker: one run at a
// time, each run's start reported when its code starts, a run aborted while its code runs kills the worker, one aborted while the engine still
// loads is withdrawn and the worker kept, and skill failures arrive as SkillRunError.
import { describe, expect, it } from 'vitest';
import { SkillRunError, type RunRequest } from '../../shared/src/execution/types';
import type { Skill } from '../../shared/src/skill/parse';
import { RuntimeError } from '../src/runtimes/errors';
import type { RunMessage, WorkerReply } from '../src/runtimes/protocol';
import { WorkerHost } from '../src/runtimes/worker-host';

class FakeWorker {
  static made: FakeWorker[] = [];
  received: Array<{ type: string; id: number }> = [];
  terminated = false;
  private listeners = new Map<string, Array<(e: unknown) => void>>();
  constructor() {
    FakeWorker.made.push(this);
  }
  addEventListener(type: string, fn: (e: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  postMessage(message: { type: string; id: number }) {
    this.received.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  reply(reply: WorkerReply) {
    for (const fn of this.listeners.get('message') ?? []) fn({ data: reply });
  }
  lastRun(): RunMessage {
    return this.received.filter((m) => m.type === 'run').at(-1) as RunMessage;
  }
}

const skill = { file: 's.md', code: 'x', codeLine: 10, frontmatter: { skill_id: 's', outputs: [{ name: 'y', type: 'number' }] } } as unknown as Skill;
const request = (signal = new AbortController().signal): RunRequest => ({ skill, inputs: { a: 1 }, signal });
const host = () => {
  FakeWorker.made = [];
  return new WorkerHost('Test', () => new FakeWorker() as unknown as Worker);
};
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('WorkerHost', () => {
  it('starts the worker on first use and runs one skill at a time, in order', async () => {
    const h = host();
    expect(FakeWorker.made).toHaveLength(0);
    const first = h.run(request());
    const second = h.run(request());
    const w = FakeWorker.made[0]!;
    expect(w.received.map((m) => m.type)).toEqual(['run']);
    expect(w.lastRun()).toMatchObject({ skill: { skillId: 's', code: 'x', codeLine: 10, outputs: [{ name: 'y', type: 'number' }] }, inputs: { a: 1 } });
    w.reply({ type: 'started', id: w.lastRun().id });
    w.reply({ type: 'done', id: w.lastRun().id, result: { y: 1 }, stdout: 'one' });
    await expect(first).resolves.toEqual({ outputs: { y: 1 }, stdout: 'one' });
    expect(w.received.map((m) => m.type)).toEqual(['run', 'run']);
    w.reply({ type: 'failed', id: w.lastRun().id, kind: 'skill', message: 'ValueError: no', stdout: 'printed' });
    const error = await second.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillRunError);
    expect(error).toMatchObject({ message: 'ValueError: no', stdout: 'printed' });
    expect(FakeWorker.made).toHaveLength(1);
  });

  it('tells the executor when each run’s code starts (its time limit counts from there), not when it was queued', async () => {
    const h = host();
    const starts: string[] = [];
    const first = h.run({ ...request(), onStart: () => starts.push('first') });
    const second = h.run({ ...request(), onStart: () => starts.push('second') });
    const w = FakeWorker.made[0]!;
    expect(starts).toEqual([]);
    w.reply({ type: 'started', id: w.lastRun().id });
    expect(starts).toEqual(['first']);
    w.reply({ type: 'done', id: w.lastRun().id, result: { y: 1 }, stdout: '' });
    await first;
    expect(starts).toEqual(['first']);
    w.reply({ type: 'started', id: w.lastRun().id });
    expect(starts).toEqual(['first', 'second']);
    w.reply({ type: 'done', id: w.lastRun().id, result: { y: 2 }, stdout: '' });
    await second;
  });

  it('streams stdout; a runtime failure is a RuntimeError', async () => {
    const h = host();
    const chunks: string[] = [];
    const run = h.run({ ...request(), onStdout: (t) => chunks.push(t) });
    const w = FakeWorker.made[0]!;
    w.reply({ type: 'stdout', id: w.lastRun().id, text: 'a\n' });
    w.reply({ type: 'failed', id: w.lastRun().id, kind: 'runtime', message: 'Pyodide could not be loaded', stdout: '' });
    await expect(run).rejects.toBeInstanceOf(RuntimeError);
    expect(chunks).toEqual(['a\n']);
  });

  it('aborting a run whose code runs terminates the worker; the next run gets a fresh one', async () => {
    const h = host();
    const ac = new AbortController();
    const run = h.run(request(ac.signal));
    const waiting = h.run(request());
    const w = FakeWorker.made[0]!;
    w.reply({ type: 'started', id: w.lastRun().id });
    ac.abort(new Error('timed out'));
    await expect(run).rejects.toThrow('timed out');
    expect(w.terminated).toBe(true);
    const fresh = FakeWorker.made[1]!;
    expect(fresh.lastRun()).toBeDefined();
    fresh.reply({ type: 'done', id: fresh.lastRun().id, result: {}, stdout: '' });
    await expect(waiting).resolves.toEqual({ outputs: {}, stdout: '' });
  });

  it('aborting a run while the engine loads withdraws it and keeps the worker loading', async () => {
    const h = host();
    const ac = new AbortController();
    const run = h.run(request(ac.signal));
    const w = FakeWorker.made[0]!;
    const withdrawnId = w.lastRun().id;
    ac.abort(new Error('cancelled'));
    await expect(run).rejects.toThrow('cancelled');
    expect(w.terminated).toBe(false);
    expect(w.received.at(-1)).toEqual({ type: 'cancel', id: withdrawnId });
    const next = h.run(request());
    expect(w.lastRun().id).not.toBe(withdrawnId);
    // The worker skips the withdrawn run, then runs the next.
    w.reply({ type: 'failed', id: withdrawnId, kind: 'runtime', message: 'withdrawn', stdout: '' });
    w.reply({ type: 'started', id: w.lastRun().id });
    w.reply({ type: 'done', id: w.lastRun().id, result: { y: 2 }, stdout: '' });
    await expect(next).resolves.toMatchObject({ outputs: { y: 2 } });
    expect(FakeWorker.made).toHaveLength(1);
  });

  it('a withdrawn run that started anyway (the withdrawal crossed it) costs the worker, not the next run', async () => {
    const h = host();
    const ac = new AbortController();
    void h.run(request(ac.signal)).catch(() => undefined);
    const w = FakeWorker.made[0]!;
    const withdrawnId = w.lastRun().id;
    ac.abort(new Error('cancelled'));
    const next = h.run(request());
    w.reply({ type: 'started', id: withdrawnId });
    expect(w.terminated).toBe(true);
    await flush();
    const fresh = FakeWorker.made[1]!;
    fresh.reply({ type: 'started', id: fresh.lastRun().id });
    fresh.reply({ type: 'done', id: fresh.lastRun().id, result: { y: 3 }, stdout: '' });
    await expect(next).resolves.toMatchObject({ outputs: { y: 3 } });
  });

  it('a queued run aborted before its turn never reaches the worker', async () => {
    const h = host();
    void h.run(request());
    const ac = new AbortController();
    const queued = h.run(request(ac.signal));
    ac.abort(new Error('cancelled'));
    await expect(queued).rejects.toThrow('cancelled');
    const w = FakeWorker.made[0]!;
    w.reply({ type: 'done', id: w.lastRun().id, result: {}, stdout: '' });
    await flush();
    expect(w.received.filter((m) => m.type === 'run')).toHaveLength(1);
  });

  it('preloads its engine once, reports its progress, and a later run uses the same worker', async () => {
    const h = host();
    const states: string[] = [];
    h.engine.subscribe(() => states.push(JSON.stringify(h.engine.get())));
    h.preload();
    h.preload();
    expect(FakeWorker.made).toHaveLength(1);
    const w = FakeWorker.made[0]!;
    expect(w.received.map((m) => m.type)).toEqual(['preload']);
    w.reply({ type: 'loading', step: 'downloading', loaded: 1024, total: 4096 });
    w.reply({ type: 'loading', step: 'starting', loaded: 0 });
    w.reply({ type: 'ready' });
    expect(states).toEqual([
      '{"phase":"loading","loaded":1024,"step":"downloading","total":4096}',
      '{"phase":"loading","loaded":0,"step":"starting"}',
      '{"phase":"ready"}',
    ]);
    const run = h.run(request());
    expect(FakeWorker.made).toHaveLength(1);
    w.reply({ type: 'started', id: w.lastRun().id });
    w.reply({ type: 'done', id: w.lastRun().id, result: { y: 2 }, stdout: '' });
    await expect(run).resolves.toEqual({ outputs: { y: 2 }, stdout: '' });
  });

  it('a failed load, or a stopped worker, leaves the engine idle again', () => {
    const h = host();
    h.preload();
    const w = FakeWorker.made[0]!;
    w.reply({ type: 'loading', step: 'downloading', loaded: 10 });
    w.reply({ type: 'load-failed' });
    expect(h.engine.get()).toEqual({ phase: 'idle' });
    w.reply({ type: 'ready' });
    h.terminate();
    expect(h.engine.get()).toEqual({ phase: 'idle' });
  });

  it("answers a skill's gpu request with the service's value, or its error, and refuses requests of runs that ended", async () => {
    FakeWorker.made = [];
    const asked: Array<{ op: string; aborted: boolean }> = [];
    const controller = new AbortController();
    const h = new WorkerHost('Test', () => new FakeWorker() as unknown as Worker, async (gpuRequest, signal) => {
      asked.push({ op: gpuRequest.op, aborted: signal.aborted });
      if (gpuRequest.op === 'compute') throw new Error('no adapter');
      return true;
    });
    const run = h.run(request(controller.signal));
    const w = FakeWorker.made[0]!;
    const id = w.lastRun().id;
    w.reply({ type: 'started', id });
    w.reply({ type: 'gpu', id, call: 1, op: 'available' });
    w.reply({ type: 'gpu', id, call: 2, op: 'compute', spec: { code: '', outputs: {} } });
    await flush();
    expect(asked).toEqual([
      { op: 'available', aborted: false },
      { op: 'compute', aborted: false },
    ]);
    expect(w.received.filter((m) => m.type === 'gpu-answer')).toEqual([
      { type: 'gpu-answer', call: 1, ok: true, value: true },
      { type: 'gpu-answer', call: 2, ok: false, message: 'no adapter' },
    ]);
    w.reply({ type: 'done', id, result: { y: 1 }, stdout: '' });
    await run;
    w.reply({ type: 'gpu', id, call: 3, op: 'available' });
    await flush();
    expect(asked).toHaveLength(2);
    expect(w.received.at(-1)).toEqual({ type: 'gpu-answer', call: 3, ok: false, message: 'gpu was called after the run that called it ended' });
  });
});
