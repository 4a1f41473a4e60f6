import { createHash } from 'node:crypto';
import type { VolumeRef } from '../access/volumes';

/**
 * Tool and prompt names: what an assistant calls a skill or workflow by. MCP allows
 * `^[A-Za-z0-9_-]{1,64}$`; the same library must always give the same names, so a collision is
 * settled by a hash of where the item lives, never by order of arrival.
 */

export const MAX_NAME = 64;
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const hex = (text: string, length: number): string => createHash('sha256').update(text).digest('hex').slice(0, length);

/** `base` cut so that `-<suffix>` fits in a name. */
const withSuffix = (base: string, suffix: string): string => `${base.slice(0, MAX_NAME - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;

/** A skill's name: its id (ids are already in the allowed characters), a long one cut with a hash of the whole. */
export function skillName(skillId: string): string {
  const clean = skillId.replace(/[^A-Za-z0-9_-]/g, '-');
  return clean.length <= MAX_NAME && clean === skillId ? clean : withSuffix(clean, hex(skillId, 6));
}

/** A workflow's name: a slug of its name (lowercase letters and digits joined by "-"), `workflow-<id prefix>` when that gives nothing. */
export function workflowName(name: string, workflowId: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join('-');
  const base = slug || `workflow-${workflowId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 8) || hex(workflowId, 8)}`;
  return base.length <= MAX_NAME ? base : base.slice(0, MAX_NAME).replace(/-+$/, '');
}

/** What is being named, in the order that decides who keeps a plain name: skills first, then volume order. */
export interface NameClaim {
  name: string;
  ref: VolumeRef;
  id: string;
}

/**
 * The final name of each claim, in the claims' order: the first to claim a name keeps it, each
 * later one gets `-<hash of volume/volumeId/id>` (6 hex, longer in the unlikely case that is taken too).
 */
export function settleNames(claims: readonly NameClaim[]): string[] {
  const taken = new Set<string>();
  return claims.map((claim) => {
    let name = claim.name;
    const where = `${claim.ref.volume}/${claim.ref.volumeId}/${claim.id}`;
    for (let length = 6; taken.has(name); length += 2) name = withSuffix(claim.name, hex(length <= 32 ? where : `${where}#${length}`, Math.min(length, 32)));
    taken.add(name);
    return name;
  });
}
