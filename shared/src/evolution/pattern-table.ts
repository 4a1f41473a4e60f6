import type { Evidence, Family } from './families';

/**
 * The patterns met while mining, in flat arrays rather than an object each: a large input meets
 * hundreds of thousands, nearly all seen in one workflow and never offered, and allocating for
 * each is most of the time spent.
 */
export class PatternTable {
  private readonly byKey = new Map<string, number>();
  readonly support: number[] = [];
  readonly lastRun: number[] = [];
  /** The largest support of a run's whole graph strictly around the pattern (0: none). */
  readonly wholeAround: number[] = [];
  /** One edge set that forms it (family, and a slice of `pool`), so its canonical form is computed only when it is offered. */
  private readonly sampleFamily: Family[] = [];
  private readonly sampleAt: number[] = [];
  private readonly sampleLength: number[] = [];
  private readonly pool: number[] = [];
  /** The families it was seen in, as linked lists: `firstSeen[id]`, then `nextSeen`. */
  private readonly firstSeen: number[] = [];
  private readonly nextSeen: number[] = [];
  private readonly seenIn: Family[] = [];
  /** Whole graphs counted over all families at once: their evidence as it was counted. */
  private readonly counted = new Map<number, Evidence>();

  get size(): number {
    return this.support.length;
  }

  /** The id of the pattern with this identity key, `chosen` edges of `family` being one of its edge sets. */
  idOf(key: string, family: Family, chosen: readonly number[]): number {
    let id = this.byKey.get(key);
    if (id !== undefined) return id;
    id = this.support.length;
    this.byKey.set(key, id);
    this.support.push(0);
    this.lastRun.push(0);
    this.wholeAround.push(0);
    this.sampleFamily.push(family);
    this.sampleAt.push(this.pool.length);
    this.sampleLength.push(chosen.length);
    for (const k of chosen) this.pool.push(k);
    this.firstSeen.push(-1);
    return id;
  }

  /** The id for a key, if the pattern was met. */
  find(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** How many edges the pattern has. */
  edges(id: number): number {
    return this.sampleLength[id]!;
  }

  /** Adds what a family's groups say for the pattern (each family adds once per pattern). */
  add(id: number, family: Family, group: Evidence): void {
    this.support[id]! += group.support;
    this.lastRun[id] = Math.max(this.lastRun[id]!, group.lastRun);
    if (family.workflow === undefined || (this.firstSeen[id] !== -1 && this.seenIn[this.firstSeen[id]!] === family)) return;
    this.nextSeen.push(this.firstSeen[id]!);
    this.seenIn.push(family);
    this.firstSeen[id] = this.seenIn.length - 1;
  }

  /** Sets the evidence of a whole graph, counted over every family's runs. */
  setCounted(id: number, evidence: Evidence): void {
    this.counted.set(id, evidence);
    this.support[id] = evidence.support;
    this.lastRun[id] = evidence.lastRun;
  }

  /** The pattern's evidence: support, workflows, last run. */
  evidence(id: number): Evidence {
    const counted = this.counted.get(id);
    if (counted) return counted;
    const workflows = new Set<string>();
    for (let at = this.firstSeen[id]!; at !== -1; at = this.nextSeen[at]!) workflows.add(this.seenIn[at]!.workflow!);
    return { support: this.support[id]!, workflows, lastRun: this.lastRun[id]! };
  }

  /** One edge set forming the pattern. */
  sample(id: number): { family: Family; chosen: number[] } {
    const at = this.sampleAt[id]!;
    return { family: this.sampleFamily[id]!, chosen: this.pool.slice(at, at + this.sampleLength[id]!) };
  }
}
