import { ID_PATTERN } from '../rooms';

/** A text made into a skill id: lower case, runs of other characters as "-", at most 128. */
export function skillIdFrom(text: string): string {
  const id = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 128)
    .replace(/[-_]+$/, '');
  return ID_PATTERN.test(id) ? id : 'skill';
}

/**
 * The skill id a file names by where it is: `…/<folder>/SKILL.md` gives the folder, `…/<stem>.md`
 * the stem (as written when it is a valid id, else made into one). A bare `SKILL.md` or the
 * generic `skill.md` names none.
 */
export function skillIdOfFile(file: string): string | undefined {
  const parts = file.split(/[\\/]/).filter(Boolean);
  const base = parts.at(-1) ?? '';
  const stem = base.replace(/\.md$/i, '');
  const name = stem.toLowerCase() === 'skill' ? parts.at(-2) : stem;
  if (!name) return undefined;
  return ID_PATTERN.test(name) ? name : skillIdFrom(name);
}
