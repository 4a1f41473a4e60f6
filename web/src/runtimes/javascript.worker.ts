/**
 * The JavaScript runtime's worker: runs a skill's `function execute(inputs)` (may be async)
 * with no network, no storage and no DOM, and console output captured as stdout.
 */
import type { RunMessage, WorkerReply } from './protocol';
import { toJsonOutputs } from './protocol';
import { captureConsole, describeSkillError, lockDownGlobals, lockDownMessaging } from './sandbox';
import { serveRuns, startRun } from './worker-runs';

const post = self.postMessage.bind(self) as (reply: WorkerReply) => void;
let current: { id: number; stdout: string } | null = null;
captureConsole((text) => {
  if (!current) return;
  current.stdout += text;
  post({ type: 'stdout', id: current.id, text });
});
lockDownGlobals();

type Execute = (inputs: unknown) => unknown;

serveRuns(run);
lockDownMessaging();

async function run({ id, skill, inputs }: RunMessage): Promise<void> {
  if (!startRun(id)) return;
  current = { id, stdout: '' };
  const fail = (e: unknown) => post({ type: 'failed', id, kind: 'skill', message: describeSkillError(e, skill.file, skill.codeLine), stdout: current?.stdout ?? '' });
  try {
    // `new Function` gives the skill its own scope; its body starts two lines into the generated source.
    const execute = new Function(`${skill.code}\nreturn typeof execute === 'function' ? execute : undefined;`)() as Execute | undefined;
    if (!execute) throw new ReferenceError('the skill defines no function execute(inputs)');
    const outputs = toJsonOutputs(await execute(inputs));
    post({ type: 'done', id, outputs, stdout: current.stdout });
  } catch (e) {
    fail(e);
  } finally {
    current = null;
  }
}
