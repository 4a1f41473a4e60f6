/**
 * The ngspice runtime's worker: eecircuit-engine (ngspice compiled to WebAssembly, ~6 MB
 * gzipped) is imported the first time a circuit is simulated and kept for later runs.
 */
import type { Simulation } from 'eecircuit-engine';
import { renderNetlist } from '../../../shared/src/skill/ngspice';
import { ngspiceMessages, outputsFromVectors, type SimVector } from '../../../shared/src/execution/ngspice-vectors';
import type { RunMessage, WorkerReply } from './protocol';
import { serveRuns, startRun } from './worker-runs';

const post = (reply: WorkerReply) => self.postMessage(reply);
let engine: Promise<Simulation> | null = null;

async function start(): Promise<Simulation> {
  const { Simulation } = await import('eecircuit-engine');
  const sim = new Simulation();
  await sim.start();
  return sim;
}

serveRuns(run);

async function run({ id, skill, inputs }: RunMessage): Promise<void> {
  let netlist: string;
  try {
    netlist = renderNetlist(skill.code, inputs);
  } catch (e) {
    return post({ type: 'failed', id, kind: 'skill', message: (e as Error).message, stdout: '' });
  }
  let sim: Simulation;
  try {
    engine ??= start();
    sim = await engine;
  } catch (e) {
    engine = null;
    const offline = navigator.onLine ? '' : ' (you are offline and ngspice has not been cached in this browser yet)';
    return post({ type: 'failed', id, kind: 'runtime', message: `ngspice could not be loaded: ${(e as Error).message}${offline}`, stdout: '' });
  }
  if (!startRun(id)) return;
  sim.setNetList(netlist);
  const result = await sim.runSim();
  const { stdout, failure } = ngspiceMessages(sim.getError(), skill);
  if (failure) return post({ type: 'failed', id, kind: 'skill', message: failure.message, stdout });
  try {
    post({ type: 'done', id, result: outputsFromVectors(skill.outputs, result.data as SimVector[]), stdout });
  } catch (e) {
    post({ type: 'failed', id, kind: 'skill', message: (e as Error).message, stdout });
  }
}
