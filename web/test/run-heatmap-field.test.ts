import { describe, expect, it } from 'vitest';
import { classifyOutput, fieldOf, fieldText, JSON_CHARS } from '../src/run/classify';
import { fieldPixels, viridis, viridisGradient } from '../src/run/colormap';

describe('a 2-D field output', () => {
  it('is rows of equal length of finite numbers, drawn as a field with its size, min and max', () => {
    const view = classifyOutput('field', [
      [0, 1, 2],
      [3, -4, 5.5],
    ]);
    expect(view.kind).toBe('field');
    if (view.kind !== 'field') return;
    expect([view.rows, view.columns, view.min, view.max]).toEqual([2, 3, -4, 5.5]);
    expect(Array.from(view.values)).toEqual([0, 1, 2, 3, -4, 5.5]);
  });

  it('is not a field with one row, rows of one value, ragged rows, or anything but finite numbers', () => {
    expect(fieldOf([[1, 2, 3]])).toBeUndefined();
    expect(classifyOutput('one-row', [[1, 2, 3]]).kind).toBe('json');
    expect(classifyOutput('column', [[1], [2], [3]]).kind).toBe('json');
    expect(classifyOutput('ragged', [[1, 2], [3]]).kind).toBe('json');
    expect(classifyOutput('ragged-long', [[1, 2], [3, 4, 5]]).kind).toBe('json');
    expect(classifyOutput('text', [[1, 'a'], [3, 4]]).kind).toBe('json');
    expect(classifyOutput('null', [[1, null], [3, 4]]).kind).toBe('json');
    expect(classifyOutput('nested', [[[1], [2]], [[3], [4]]]).kind).toBe('json');
    expect(classifyOutput('flat', [1, 2, 3, 4]).kind).toBe('series');
    expect(classifyOutput('rows', [{ a: 1 }, { a: 2 }]).kind).toBe('table');
  });

  it('keeps its numbers reachable as JSON, one row to a line, cut as other JSON views are', () => {
    const small = [
      [0, 1.5],
      [-2, 3],
    ];
    expect(fieldText(fieldOf(small)!)).toBe('[\n[0, 1.5],\n[-2, 3]\n]');
    expect(JSON.parse(fieldText(fieldOf(small)!))).toEqual(small);
    const big = Array.from({ length: 200 }, (_, r) => Array.from({ length: 200 }, (_, c) => r * 200 + c + 0.5));
    const text = fieldText(fieldOf(big)!);
    expect(text.split('\n')[1]).toBe(`${JSON.stringify(big[0]).replaceAll(',', ', ')},`);
    expect(text).toMatch(new RegExp(`\\n… \\(\\d+ more characters\\)$`));
    expect(text.length).toBeLessThan(JSON_CHARS + 40);
  });
});

describe('the viridis colour map', () => {
  it('runs from dark purple through teal to yellow, clamping outside [0, 1]', () => {
    expect(viridis(0)).toEqual([0x44, 0x01, 0x54]);
    expect(viridis(0.5)).toEqual([0x21, 0x91, 0x8c]);
    expect(viridis(1)).toEqual([0xfd, 0xe7, 0x25]);
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
    expect(viridis(0.05)).toEqual([0x46, 0x13, 0x65]);
  });

  it('gets lighter all the way (perceived lightness rises monotonically)', () => {
    const luma = (t: number) => {
      const [r, g, b] = viridis(t);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const samples = Array.from({ length: 101 }, (_, i) => luma(i / 100));
    expect(samples.every((l, i) => i === 0 || l > samples[i - 1]!)).toBe(true);
  });

  it('maps a field to RGBA pixels between its min and max; a constant field to the middle colour', () => {
    const pixels = fieldPixels([10, 15, 20], 10, 20);
    expect(Array.from(pixels)).toEqual([...viridis(0), 255, ...viridis(0.5), 255, ...viridis(1), 255]);
    expect(Array.from(fieldPixels([3, 3], 3, 3))).toEqual([...viridis(0.5), 255, ...viridis(0.5), 255]);
    expect(viridisGradient()).toMatch(/^rgb\(68 1 84\) 0%, .*rgb\(253 231 37\) 100%$/);
  });
});
