// The page half of bench/mine.ts: bundled by esbuild and served to headless Chromium, it runs
// the very timing code Node runs.
import { timeMining, type MineTimingOptions } from './lib/mine-timing';

(globalThis as { mineBench?: (o: MineTimingOptions) => ReturnType<typeof timeMining> }).mineBench = timeMining;
