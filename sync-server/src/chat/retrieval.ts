/** A skill the person can read, as the chat lists, ranks and reads it. */
export interface SkillDoc {
  skillId: string;
  volume: string;
  /** The volume index room the skill was found in; its files are kept there too. */
  room: string;
  name: string;
  description: string;
  /** The skill's type (python, ngspice…), or `instructions` for a skill with nothing to run. */
  kind: string;
  /** Tags and category: words that say what the skill is about. */
  topics: string;
  body: string;
  /** The whole file, as the assistant reads it. */
  source: string;
}

const STOP = new Set('a an and are as at be by for from how i in is it of on or that the this to what with you your can do does'.split(' '));

/** Lower-cased word stems, without stop words; good enough for skill names and prose. */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map((w) => w.replace(/(ing|ers|er|es|s)$/, '') || w);
}

/** Field weights: a word in a skill's name or tags says more than one in its code. */
const FIELDS: Array<[(d: SkillDoc) => string, number]> = [
  [(d) => `${d.name} ${d.skillId}`, 3],
  [(d) => d.topics, 2.5],
  [(d) => d.description, 2],
  [(d) => d.body, 1],
];

const K1 = 1.2;
const B = 0.75;

/**
 * Ranks skills for a message with BM25 over name, tags, description and body (each field
 * weighted), highest first; skills sharing no word with the message are left out.
 */
export function rankSkills(message: string, docs: readonly SkillDoc[]): Array<{ doc: SkillDoc; score: number }> {
  const query = [...new Set(tokenize(message))];
  if (query.length === 0 || docs.length === 0) return [];
  const fieldTokens = docs.map((d) => FIELDS.map(([get]) => tokenize(get(d))));
  const avgLen = FIELDS.map((_, f) => fieldTokens.reduce((n, t) => n + (t[f]?.length ?? 0), 0) / docs.length || 1);
  const df = new Map<string, number>();
  for (const tokens of fieldTokens) {
    const present = new Set(tokens.flat());
    for (const q of query) if (present.has(q)) df.set(q, (df.get(q) ?? 0) + 1);
  }
  const scored = docs.map((doc, i) => {
    let score = 0;
    for (const q of query) {
      const n = df.get(q) ?? 0;
      if (n === 0) continue;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      FIELDS.forEach(([, weight], f) => {
        const tokens = fieldTokens[i]?.[f] ?? [];
        const tf = tokens.filter((t) => t === q).length;
        if (tf === 0) return;
        score += weight * idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * tokens.length) / (avgLen[f] ?? 1))));
      });
    }
    return { doc, score };
  });
  return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
}
