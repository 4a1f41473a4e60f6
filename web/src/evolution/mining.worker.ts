/**
 * The evolution engine's worker: mines run traces for recurring sub-graphs off the page's
 * thread, so the library stays responsive while thousands of runs are read.
 */
import { handleMineMessage } from './mining-job';

self.addEventListener('message', (e: MessageEvent<unknown>) => handleMineMessage(e.data, (reply) => self.postMessage(reply)));
