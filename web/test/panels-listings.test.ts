import { describe, expect, it } from 'vitest';
import { filterByName, newestFirst } from '../src/panels/listings';

const items = [
  { id: 'a', name: 'VQE study', created_at: '2026-01-01T00:00:00.000Z' },
  { id: 'b', name: 'Resistor divider', created_at: '2026-03-01T00:00:00.000Z' },
  { id: 'c', name: 'vqe Sweep', created_at: '2026-02-01T00:00:00.000Z' },
];

describe('filterByName', () => {
  it('keeps names containing every word, ignoring case', () => {
    expect(filterByName(items, 'vqe').map((i) => i.id)).toEqual(['a', 'c']);
    expect(filterByName(items, '  VQE   sweep ').map((i) => i.id)).toEqual(['c']);
    expect(filterByName(items, 'nothing')).toEqual([]);
  });

  it('keeps everything for an empty query, in order', () => {
    expect(filterByName(items, ' ').map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('newestFirst', () => {
  it('sorts by creation time, newest first, without touching the input', () => {
    expect(newestFirst(items).map((i) => i.id)).toEqual(['b', 'c', 'a']);
    expect(items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });

  it('breaks ties by id so the order is stable', () => {
    const same = [
      { id: 'z', created_at: 't' },
      { id: 'y', created_at: 't' },
    ];
    expect(newestFirst(same).map((i) => i.id)).toEqual(['y', 'z']);
  });
});
