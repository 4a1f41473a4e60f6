import { isMap, isPair, isScalar, type Document, type LineCounter } from 'yaml';

/** Where a field of the frontmatter is: a path into the YAML document. */
export type FieldPath = ReadonlyArray<string | number>;

/** Finds the YAML source offset of a field path, falling back to its nearest existing parent. */
function offsetOf(doc: Document, path: FieldPath, unknownKey?: string): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (unknownKey !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === unknownKey);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      // A key's value is located at the key, which is where people look for it.
      const parent = depth > 0 ? doc.getIn(path.slice(0, depth - 1), true) : undefined;
      const key = path[depth - 1];
      if (isMap(parent) && typeof key === 'string') {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
        if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      }
      return (node.range as number[])[0] ?? 0;
    }
  }
  return 0;
}

/** Locates frontmatter fields as 1-based lines of the whole file. */
export class FieldLocator {
  constructor(
    private readonly doc: Document,
    private readonly counter: LineCounter,
    private readonly firstLine: number,
  ) {}

  /** The file line of a field (or of its key `unknownKey` inside it). */
  line(path: FieldPath, unknownKey?: string): number {
    return this.counter.linePos(offsetOf(this.doc, path, unknownKey)).line + this.firstLine;
  }

  /** The source text of a scalar, as written (`1.10` stays `1.10`). */
  source(path: FieldPath): string | undefined {
    const node = this.doc.getIn(path, true);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }
}
