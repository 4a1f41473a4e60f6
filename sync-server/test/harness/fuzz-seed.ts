import * as prng from 'lib0/prng';

/** The fuzz test's seed: $FUZZ_SEED when set (to replay a failure), otherwise a fresh one. */
export const fuzzSeed = (): number => (process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 1 + Math.floor(Math.random() * (2 ** 31 - 1)));

/**
 * An independent PRNG for one part of a run (an editor script, a fuzzer slot), so that how much
 * one part draws never shifts what another draws. Mixed to a non-zero 32-bit seed: lib0's
 * generator is seeded by xorshift32, which stays at 0 forever from a seed of 0.
 */
export function streamOf(seed: number, stream: number): prng.PRNG {
  const mixed = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  return prng.create(mixed || 1);
}
