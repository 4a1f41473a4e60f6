import { VOLUMES, type Volume } from '../../../shared/src/rooms';
import { mimeTypeOf } from '../../../shared/src/skill/file-types';
import type { VolumeRef } from '../access/volumes';
import type { CallerSkill } from './resolve-for';
import { skillName } from './tool-names';
import type { LibraryPrompt, LibraryResource } from './types';

/**
 * Instruction skills as MCP prompts, and their folders' files as resources addressed
 * `llmunix://{volume}/{volumeId}/skills/{skillId}/{path}` (each segment of the path
 * percent-encoded, since a file name may hold spaces, `#` or letters of any script).
 */

const SCHEME = 'llmunix://';

/** The URI of one file of a skill's folder. */
export const resourceUri = (ref: VolumeRef, skillId: string, path: string): string =>
  `${SCHEME}${ref.volume}/${ref.volumeId}/skills/${skillId}/${path.split('/').map(encodeURIComponent).join('/')}`;

/** What a resource URI names, or undefined when it is not one of ours. */
export function parseResourceUri(uri: string): { ref: VolumeRef; skillId: string; path: string } | undefined {
  if (!uri.startsWith(SCHEME)) return undefined;
  const [volume, volumeId, skills, skillId, ...rest] = uri.slice(SCHEME.length).split('/');
  if (!(VOLUMES as readonly string[]).includes(volume ?? '') || !volumeId || skills !== 'skills' || !skillId || rest.length === 0) return undefined;
  try {
    return { ref: { volume: volume as Volume, volumeId }, skillId, path: rest.map(decodeURIComponent).join('/') };
  } catch {
    return undefined;
  }
}

export function resourceOf(ref: VolumeRef, skillId: string, file: { path: string; size: number }): LibraryResource {
  return { uri: resourceUri(ref, skillId, file.path), name: file.path, mimeType: mimeTypeOf(file.path), size: file.size, skillId, path: file.path, volume: ref };
}

/** An instruction skill as a prompt with its files as resources, or undefined for any other skill. */
export function skillPrompt(entry: CallerSkill, files: ReadonlyArray<{ path: string; size: number }>): { prompt: LibraryPrompt; resources: LibraryResource[] } | undefined {
  const skill = entry.skill;
  if (skill?.kind !== 'instruction') return undefined;
  const resources = files.map((f) => resourceOf(entry.ref, entry.skillId, f));
  const fm = skill.frontmatter;
  return {
    prompt: {
      name: skillName(entry.skillId),
      title: fm.name,
      description: fm.description.trim() || fm.name,
      // The blank lines between the frontmatter and the text are no part of what the assistant reads.
      body: skill.body.replace(/^(?:[ \t]*\n)+/, ''),
      skillId: entry.skillId,
      volume: entry.ref,
      files: resources.map((r) => r.uri),
    },
    resources,
  };
}
