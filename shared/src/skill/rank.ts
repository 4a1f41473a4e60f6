/** The text of a skill that ranking reads: what the chat and the canvas search both rank by. */
export interface RankableSkill {
  skillId: string;
  name: string;
  description: string;
  /** Tags and category: words that say what the skill is about. */
  topics: string;
  body: string;
}

const STOP = new Set('a an and are as at be by for from how i in is it of on or that the this to what with you your can do does'.split(' '));

/** Lower-cased word stems, without stop words; good enough for skill names and prose. */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map((w) => w.replace(/(ing|ers|er|es|s)$/, '') || w);
}

/** Field weights: a word in a skill's name or tags says more than one in its code. */
const FIELDS: Array<[(d: RankableSkill) => string, number]> = [
  [(d) => `${d.name} ${d.skillId}`, 3],
  [(d) => d.topics, 2.5],
  [(d) => d.description, 2],
  [(d) => d.body, 1],
];

const K1 = 1.2;
const B = 0.75;

/** Skills tokenized once, so that ranking them for each keystroke of a search reads no text. */
export interface SkillIndex<T extends RankableSkill> {
  docs: readonly T[];
  /** Per skill, per field: its tokens and how often each occurs. */
  fields: Array<Array<{ length: number; counts: Map<string, number> }>>;
  avgLength: number[];
}

/** Tokenizes skills for `rankIndexed`. */
export function indexSkills<T extends RankableSkill>(docs: readonly T[]): SkillIndex<T> {
  const fields = docs.map((d) =>
    FIELDS.map(([get]) => {
      const tokens = tokenize(get(d));
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      return { length: tokens.length, counts };
    }),
  );
  const avgLength = FIELDS.map((_, f) => fields.reduce((n, t) => n + (t[f]?.length ?? 0), 0) / docs.length || 1);
  return { docs, fields, avgLength };
}

/**
 * Ranks indexed skills for a text with BM25 over name, tags, description and body (each field
 * weighted), highest first; skills sharing no word with the text are left out.
 */
export function rankIndexed<T extends RankableSkill>(index: SkillIndex<T>, text: string): Array<{ doc: T; score: number }> {
  const query = [...new Set(tokenize(text))];
  const { docs, fields, avgLength } = index;
  if (query.length === 0 || docs.length === 0) return [];
  const df = new Map<string, number>();
  for (const perField of fields) {
    for (const q of query) if (perField.some((f) => f.counts.has(q))) df.set(q, (df.get(q) ?? 0) + 1);
  }
  const scored = docs.map((doc, i) => {
    let score = 0;
    for (const q of query) {
      const n = df.get(q) ?? 0;
      if (n === 0) continue;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      FIELDS.forEach(([, weight], f) => {
        const field = fields[i]?.[f];
        const tf = field?.counts.get(q) ?? 0;
        if (!field || tf === 0) return;
        score += weight * idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * field.length) / (avgLength[f] ?? 1))));
      });
    }
    return { doc, score };
  });
  return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
}

/** Ranks skills for a text (a chat message, a search) as `rankIndexed` does. */
export function rankSkills<T extends RankableSkill>(text: string, docs: readonly T[]): Array<{ doc: T; score: number }> {
  return rankIndexed(indexSkills(docs), text);
}
