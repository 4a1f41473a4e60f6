import type { Response, Router } from 'express';
import { readSkillFile, skillFilePathProblem } from '../../../shared/src/documents/skill-files';
import { getSkillSource } from '../../../shared/src/documents/volume-index';
import { zipSkillFiles } from '../../../shared/src/skill/archive';
import { mimeTypeOf } from '../../../shared/src/skill/file-types';
import { skillsNeeded, writeSkillFolderWithInner, type StoredLookup } from '../../../shared/src/skill/compound-folder';
import type { StoredSkill } from '../../../shared/src/skill/folder';
import { storedSkill } from '../../../shared/src/skill/stored-skill';
import type { Identify } from '../access/identity';
import { VolumeQuerySchema } from '../access/volumes';
import { HttpError } from '../http/errors';
import { idOr400, parseOr400 } from '../http/validate';
import type { Rooms } from '../rooms/rooms';
import { invalidSkill } from './skill-import';
import { findReadableSkill, skillFile } from './skill-lookup';

const TEXT = 'text/plain; charset=utf-8';

/**
 * A download's content type: the file's own (`mimeTypeOf`), except that what a browser would run
 * or render as a page (HTML, SVG, XML, scripts, any other text) is served as plain text: a
 * skill's files come from anywhere and are only ever data.
 */
function contentTypeOf(path: string): string {
  const type = mimeTypeOf(path);
  if (type === 'text/markdown' || type === 'text/csv') return `${type}; charset=utf-8`;
  if (type.startsWith('text/') || type === 'image/svg+xml' || type === 'application/xml' || type === 'application/yaml') return TEXT;
  return type;
}

/** Headers that keep a download from being sniffed into something else or run as a page. */
function asData(res: Response, contentType: string): void {
  res.set({ 'Content-Type': contentType, 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "sandbox; default-src 'none'" });
}

/**
 * The skills a compound skill needs, looked up (as its nodes' skills are, in the caller's readable
 * volumes) level by level, for `writeSkillFolderWithInner`; other skills need none.
 */
async function innerSkills(stored: StoredSkill, find: (skillId: string) => Promise<ReturnType<StoredLookup> & object>): Promise<StoredLookup> {
  const found = new Map<string, ReturnType<StoredLookup>>();
  const lookup: StoredLookup = (id) => found.get(id);
  for (;;) {
    const next = skillsNeeded(stored, lookup).missing.filter((id) => !found.has(id));
    if (next.length === 0) return lookup;
    for (const id of next) found.set(id, await find(id).catch((e: unknown) => (e instanceof HttpError && e.code === 'not_found' ? undefined : Promise.reject(e))));
  }
}

/** `GET /:skill_id/files/<path>` (one file's bytes) and `GET /:skill_id/export` (the folder as a zip). */
export function addSkillDownloads(router: Router, rooms: Rooms, identify: Identify): void {
  router.get('/:skill_id/files/*path', async (req, res) => {
    const id = idOr400(req.params.skill_id, 'skill_id', 'skill id');
    const q = parseOr400(VolumeQuerySchema, req.query, 'query');
    const path = ([] as string[]).concat(req.params.path).join('/');
    const problem = skillFilePathProblem(path);
    if (problem) throw new HttpError('bad_request', problem.message, [{ field: 'path', message: problem.message }]);
    // The first volume holding the skill answers, so a user's skill never shows a shadowed one's file.
    const found = await findReadableSkill(rooms, identify(req), id, q, (doc, ref) =>
      getSkillSource(doc, id) === undefined ? undefined : { ref, bytes: readSkillFile(doc, id, path) },
    );
    const { bytes } = found;
    if (!bytes) throw new HttpError('not_found', `Skill "${id}" in ${found.ref.volume}/${found.ref.volumeId} has no file "${path}"; GET /api/skills/${id} lists its files.`);
    asData(res, contentTypeOf(path));
    res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  router.get('/:skill_id/export', async (req, res) => {
    const id = idOr400(req.params.skill_id, 'skill_id', 'skill id');
    const q = parseOr400(VolumeQuerySchema, req.query, 'query');
    const stored = await findReadableSkill(rooms, identify(req), id, q, (doc, ref) => storedSkill(doc, id, skillFile(ref, id)));
    if (!stored.ok) throw invalidSkill(stored.error);
    const files = writeSkillFolderWithInner(stored.value, await innerSkills(stored.value, (inner) => findReadableSkill(rooms, identify(req), inner, {}, (doc, ref) => storedSkill(doc, inner, skillFile(ref, inner)))));
    if (!files.ok) throw new HttpError('invalid_skill', files.error);
    const zip = zipSkillFiles(files.value);
    asData(res, 'application/zip');
    res.set('Content-Disposition', `attachment; filename="${id}.zip"`);
    res.send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
  });
}
