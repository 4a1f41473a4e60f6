/**
 * Viridis (matplotlib's default colour map): perceptually uniform, readable in grey and by people
 * with the common colour-vision deficiencies. Eleven samples of the published table, evenly spaced
 * from 0 to 1; colours between them are interpolated linearly, which stays within a step of 1–2 in
 * each channel of the full 256-entry table.
 */
const VIRIDIS: ReadonlyArray<readonly [number, number, number]> = [
  [0x44, 0x01, 0x54],
  [0x48, 0x24, 0x75],
  [0x41, 0x44, 0x87],
  [0x35, 0x5f, 0x8d],
  [0x2a, 0x78, 0x8e],
  [0x21, 0x91, 0x8c],
  [0x22, 0xa8, 0x84],
  [0x44, 0xbf, 0x70],
  [0x7a, 0xd1, 0x51],
  [0xbd, 0xdf, 0x26],
  [0xfd, 0xe7, 0x25],
];

/** The viridis colour at t in [0, 1] (clamped), as 0–255 channels. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const lo = VIRIDIS[i]!;
  const hi = VIRIDIS[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(lo[c]! + (hi[c]! - lo[c]!) * f)) as [number, number, number];
}

/** The stops of a CSS linear-gradient of the colour map (for a colour bar). */
export const viridisGradient = (): string => VIRIDIS.map(([r, g, b], i) => `rgb(${r} ${g} ${b}) ${(i * 100) / (VIRIDIS.length - 1)}%`).join(', ');

/**
 * RGBA pixels of a field, one per value (row-major), each value placed between min and max on the
 * colour map. A constant field is drawn in the map's middle colour.
 */
export function fieldPixels(values: ArrayLike<number>, min: number, max: number): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(values.length * 4);
  const span = max - min;
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = viridis(span > 0 ? (values[i]! - min) / span : 0.5);
    pixels.set([r, g, b, 255], i * 4);
  }
  return pixels;
}
