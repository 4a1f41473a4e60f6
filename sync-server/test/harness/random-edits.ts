import * as prng from 'lib0/prng';
import type * as Y from 'yjs';

/** The seed for a random test: $SEED when set (to replay a failure), otherwise a fresh one. */
export const testSeed = (): number => (process.env.SEED ? Number(process.env.SEED) : Math.floor(Math.random() * 2 ** 31));

/** Makes one random edit (map set/delete, array insert/delete, text insert/delete). */
export function randomEdit(gen: prng.PRNG, doc: Y.Doc): void {
  const map = doc.getMap<number>('map');
  const array = doc.getArray<number>('array');
  const text = doc.getText('text');
  switch (prng.int32(gen, 0, 5)) {
    case 0:
      map.set(`k${prng.int32(gen, 0, 9)}`, prng.int32(gen, 0, 1000));
      break;
    case 1:
      map.delete(`k${prng.int32(gen, 0, 9)}`);
      break;
    case 2:
      array.insert(prng.int32(gen, 0, array.length), [prng.int32(gen, 0, 1000)]);
      break;
    case 3:
      if (array.length > 0) array.delete(prng.int32(gen, 0, array.length - 1), 1);
      break;
    case 4:
      text.insert(prng.int32(gen, 0, text.length), prng.word(gen, 1, 4));
      break;
    default:
      if (text.length > 0) text.delete(prng.int32(gen, 0, text.length - 1), 1);
  }
}

/** The content of the random-edit types, for comparing documents (map keys sorted: order is not content). */
export const contentOf = (doc: Y.Doc) => ({
  map: Object.fromEntries(Object.entries(doc.getMap('map').toJSON()).sort(([a], [b]) => a.localeCompare(b))),
  array: doc.getArray('array').toJSON(),
  text: doc.getText('text').toString(),
});
