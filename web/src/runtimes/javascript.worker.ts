/**
 * The JavaScript runtime's worker: runs a skill's `function execute(inputs)` (may be async)
 * with no network, no storage and no DOM, and console output captured as stdout.
 */
import { SkillRunError } from '../../../shared/src/execution/types';
import type { RunMessage } from './protocol';
import { lockDownGlobals, lockDownMessaging } from './sandbox';
import { captureRunOutput, runSandboxed, type SandboxedKind } from './sandboxed-run';
import { serveRuns } from './worker-runs';
import { installGpu } from './gpu-global';

captureRunOutput();
installGpu();
lockDownGlobals();

type Execute = (inputs: unknown) => unknown;

/** `new Function` gives the skill its own scope; its body starts two lines into the generated source. */
const JAVASCRIPT: SandboxedKind = { what: 'execute(inputs)', compile: (code) => new Function(code), headerLines: 2 };

serveRuns((message: RunMessage) =>
  runSandboxed(message, JAVASCRIPT, async () => {
    const execute = new Function(`${message.skill.code}\nreturn typeof execute === 'function' ? execute : undefined;`)() as Execute | undefined;
    if (!execute) throw new SkillRunError('the skill defines no function execute(inputs)');
    return execute(message.inputs);
  }),
);
lockDownMessaging();
