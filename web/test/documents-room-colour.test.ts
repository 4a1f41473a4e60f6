import { describe, expect, it } from 'vitest';
import { COLORS } from '../src/documents/identity';
import { colourInRoom } from '../src/documents/room-colour';

describe('colours in a room', () => {
  it('keeps a person’s own colour when nobody ranked before them shows it', () => {
    expect(colourInRoom('#123456', 5, [{ clientId: 9, color: '#123456' }])).toBe('#123456');
    expect(colourInRoom('#123456', 5, [{ clientId: 1, color: '#abcdef' }])).toBe('#123456');
  });

  it('the one ranked later takes the first default colour nobody before them shows', () => {
    const first = COLORS[0] as string;
    const second = COLORS[1] as string;
    expect(colourInRoom(first, 7, [{ clientId: 3, color: first.toUpperCase() }])).toBe(second);
    expect(colourInRoom(first, 7, [{ clientId: 3, color: first }, { clientId: 4, color: second }])).toBe(COLORS[2]);
  });

  it('everyone applying the rule ends with distinct colours, whatever they picked', () => {
    const ids = [40, 10, 30, 20, 50];
    const shown = new Map<number, string>();
    // Settled in rank order, as awareness updates settle it: each sees those before them.
    for (const id of [...ids].sort((a, b) => a - b)) {
      shown.set(id, colourInRoom('#22c55e', id, [...shown].map(([clientId, color]) => ({ clientId, color }))));
    }
    expect(new Set(shown.values()).size).toBe(ids.length);
    expect(shown.get(10)).toBe('#22c55e');
  });
});
