import { crash } from './crash';
import { dependencies } from './dependencies';
import { diskFull } from './disk-full';
import { fuzzScenario } from './fuzz';
import { loadScenario } from './load';
import type { ChaosScenario } from './types';

/** Every scenario, in the order the table shows them. Each lives in its own file beside this one. */
export const SCENARIOS: ChaosScenario[] = [crash, dependencies, diskFull, fuzzScenario, loadScenario];
