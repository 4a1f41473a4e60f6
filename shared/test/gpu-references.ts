/*
 * CPU references for the WebGPU system skills (skills/gpu-*.md), written apart from the skills'
 * own fallbacks (another loop order and data layout) so a mistake in one is not copied into the
 * other. The headless tests hold the fallbacks to them; the Chromium tests the kernels.
 */

type Matrix = number[][];

/** Generated A and B of gpu-matmul, as its text defines them. */
export const matmulA = (n: number): Matrix => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (((3 * i + 5 * k) % 17) + 1) / 17));
export const matmulB = (n: number): Matrix => Array.from({ length: n }, (_, k) => Array.from({ length: n }, (_, j) => (((7 * k + 2 * j) % 13) + 1) / 13));

/** C = A × B, each element a dot product of a row of A and a column of B. */
export function matmulReference(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const columns = Array.from({ length: n }, (_, j) => b.map((row) => row[j]!));
  return a.map((row) => columns.map((column) => row.reduce((sum, x, k) => sum + x * column[k]!, 0)));
}

export interface HeatParams {
  size: number;
  steps: number;
  alpha: number;
  spot: { x: number; y: number; radius: number; temperature: number };
  start?: Matrix;
}

/** gpu-heat: the hot disc on the starting field, then `steps` explicit steps with cold (0) edges. */
export function heatReference({ size, steps, alpha, spot, start }: HeatParams): Matrix {
  let u: Matrix = Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) => {
      const dx = (x + 0.5) / size - spot.x;
      const dy = (y + 0.5) / size - spot.y;
      return (start?.[y]?.[x] ?? 0) + (Math.hypot(dx, dy) <= spot.radius ? spot.temperature : 0);
    }),
  );
  const at = (y: number, x: number) => u[y]?.[x] ?? 0;
  for (let s = 0; s < steps; s++) {
    u = u.map((row, y) => row.map((here, x) => here + alpha * (at(y, x - 1) + at(y, x + 1) + at(y - 1, x) + at(y + 1, x) - 4 * here)));
  }
  return u;
}

interface Vec {
  x: number;
  y: number;
  z: number;
}

export interface NBodyParams {
  count: number;
  steps: number;
  dt: number;
  softening: number;
}

/** gpu-nbody from its generated disc: softened gravity, kick then drift; flat xyz positions and velocities. */
export function nbodyReference({ count, steps, dt, softening }: NBodyParams): { positions: number[]; velocities: number[] } {
  const bodies = Array.from({ length: count }, (_, i) => {
    const r = 0.2 + 0.8 * Math.sqrt((i + 0.5) / count);
    const angle = 2 * Math.PI * (((4181 * i) % 6765) / 6765 - 0.5);
    const p: Vec = { x: r * Math.cos(angle), y: r * Math.sin(angle), z: 0.02 * ((i % 7) - 3) };
    const speed = Math.sqrt((i + 0.5) / count / r);
    const v: Vec = { x: -Math.sin(angle) * speed, y: Math.cos(angle) * speed, z: 0 };
    return { p, v };
  });
  for (let s = 0; s < steps; s++) {
    const accelerations = bodies.map(({ p }) =>
      bodies.reduce(
        (acc, other) => {
          const d = { x: other.p.x - p.x, y: other.p.y - p.y, z: other.p.z - p.z };
          const r2 = d.x ** 2 + d.y ** 2 + d.z ** 2 + softening ** 2;
          const f = 1 / count / Math.pow(r2, 1.5);
          return { x: acc.x + d.x * f, y: acc.y + d.y * f, z: acc.z + d.z * f };
        },
        { x: 0, y: 0, z: 0 },
      ),
    );
    bodies.forEach((b, i) => {
      const a = accelerations[i]!;
      b.v = { x: b.v.x + a.x * dt, y: b.v.y + a.y * dt, z: b.v.z + a.z * dt };
      b.p = { x: b.p.x + b.v.x * dt, y: b.p.y + b.v.y * dt, z: b.p.z + b.v.z * dt };
    });
  }
  return { positions: bodies.flatMap(({ p }) => [p.x, p.y, p.z]), velocities: bodies.flatMap(({ v }) => [v.x, v.y, v.z]) };
}

/**
 * The largest difference between two lists of numbers (or of rows), relative to the reference's
 * largest magnitude: 32-bit GPU results are compared with 64-bit references by this.
 */
export function relativeError(actual: unknown, reference: number[] | Matrix): number {
  const ref = (reference as Array<number | number[]>).flat();
  const got = Array.isArray(actual) ? (actual as unknown[]).flat() : [];
  if (got.length !== ref.length) return Infinity;
  const scale = Math.max(...ref.map(Math.abs));
  return Math.max(...got.map((x, i) => (typeof x === 'number' ? Math.abs(x - ref[i]!) : Infinity))) / scale;
}
