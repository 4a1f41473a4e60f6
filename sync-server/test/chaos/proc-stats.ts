import fs from 'node:fs/promises';

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`: 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident memory of a process, in bytes, from /proc/<pid>/status. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status: has the process exited?`);
  return Number(kib) * 1024;
}

/** CPU use of a process over a stretch of time, as a percentage of one core. */
export async function cpuMeter(pid: number): Promise<{ percent(): Promise<number> }> {
  const [cpu0, t0] = [await cpuSeconds(pid), performance.now()];
  return { percent: async () => (100 * ((await cpuSeconds(pid)) - cpu0)) / ((performance.now() - t0) / 1000) };
}

/** Samples a process's RSS every `everyMs` until stopped; the peak is the largest sample. */
export function rssSampler(pid: number, everyMs = 200): { peak(): number; stop(): void } {
  let peak = 0;
  const sample = () => void rssBytes(pid).then((rss) => (peak = Math.max(peak, rss)), () => undefined);
  sample();
  const timer = setInterval(sample, everyMs);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

export const MiB = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;
