import express, { Router } from 'express';
import type * as Y from 'yjs';
import { z } from 'zod';
import { deleteSkillFiles, listSkillFiles } from '../../../shared/src/documents/skill-files';
import { trashSkill } from '../../../shared/src/documents/trash';
import { getSkillSource, listSkillSources, putSkillSource, skillOriginsOf } from '../../../shared/src/documents/volume-index';
import { nowIso } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import { VOLUMES } from '../../../shared/src/rooms';
import { ok } from '../../../shared/src/result';
import type { FolderSkill } from '../../../shared/src/skill/folder';
import { readSkill, type ParsedSkill } from '../../../shared/src/skill/parse';
import { InputPortSchema, LANGUAGE_TYPE, OutputPortSchema, SKILL_TYPES, SkillFrontmatterSchema } from '../../../shared/src/skill/schema';
import { buildSkillMarkdown } from '../../../shared/src/skill/serialize';
import { skillIdFrom } from '../../../shared/src/skill/skill-id';
import { saveFolderSkill } from '../../../shared/src/skill/stored-skill';
import type { Identify } from '../access/identity';
import type { Rooms } from '../rooms/rooms';
import { HttpError } from '../http/errors';
import { IdSchema, idOr400, parseOr400 } from '../http/validate';
import { targetIndex, VolumeQuerySchema, type VolumeRef } from '../access/volumes';
import { addSkillDownloads } from './skill-downloads';
import { folderSkillOf, ImportFileSchema, invalidSkill, SKILL_IMPORT_BODY_BYTES } from './skill-import';
import { findReadableSkill, skillFile } from './skill-lookup';
import { deleterOf } from './trash';

/**
 * The original's create body, plus our typed ports; or a whole skill file as `content`, with the
 * other files of its folder.
 */
const CreateSkill = z.union([
  z.strictObject({
    content: z.string().min(1).max(1_000_000),
    files: z.array(ImportFileSchema).optional(),
    skill_id: IdSchema.optional(),
    volume: z.enum(VOLUMES).optional(),
    volume_id: IdSchema.optional(),
    overwrite: z.boolean().optional(),
  }),
  z.strictObject({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(2000).default(''),
    code: z.string().min(1).max(1_000_000),
    language: z.enum(['python', 'javascript', 'spice', 'wgsl']).optional(),
    type: z.enum(SKILL_TYPES).optional(),
    tags: z.array(z.string()).optional(),
    category: z.string().optional(),
    skill_id: IdSchema.optional(),
    inputs: z.array(InputPortSchema).optional(),
    outputs: z.array(OutputPortSchema).optional(),
    volume: z.enum(VOLUMES).optional(),
    volume_id: IdSchema.optional(),
    overwrite: z.boolean().optional(),
  }),
]);

type CreateSkillBody = z.infer<typeof CreateSkill>;

/** What every answer says of a skill: its fields, kind, volume and files. */
function summary(skill: ParsedSkill, ref: VolumeRef, doc: Y.Doc, id: string) {
  return { ...skill.frontmatter, kind: skill.kind, volume: ref.volume, volume_id: ref.volumeId, files: listSkillFiles(doc, id) };
}

/** The whole of one skill: its summary, code when it runs (the inner workflow of a compound skill), and its Markdown. */
function detail(skill: ParsedSkill, ref: VolumeRef, doc: Y.Doc, id: string, source: string) {
  const code = skill.kind === 'runnable' ? { language: skill.codeLanguage, code: skill.code } : skill.kind === 'compound' ? { inside: skill.inside } : {};
  return { ...summary(skill, ref, doc, id), ...code, content: source };
}

/** The original's body made into a skill file. */
function markdownOf(body: Exclude<CreateSkillBody, { content: string }>): string {
  const type = body.type ?? LANGUAGE_TYPE[body.language ?? 'python'];
  const frontmatter = SkillFrontmatterSchema.safeParse({
    name: body.name,
    skill_id: body.skill_id ?? skillIdFrom(body.name),
    type,
    description: body.description,
    tags: body.tags ?? [],
    category: body.category ?? 'general',
    inputs: body.inputs ?? [],
    outputs: body.outputs ?? [],
  });
  if (!frontmatter.success) {
    const details = frontmatter.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    throw new HttpError('invalid_skill', `Invalid skill: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
  }
  return buildSkillMarkdown(frontmatter.data, body.code);
}

type MadeHere = Omit<FolderSkill, 'origin'> & { origin?: undefined };

/** A skill made by the original's body: no files, no origin (it is exported as an Agent Skills folder). */
function madeHere(source: string): MadeHere {
  const read = readSkill(source);
  if (!read.ok) throw invalidSkill(read.error);
  return { skillId: read.value.frontmatter.skill_id, source, skill: read.value, files: [], warnings: read.value.warnings };
}

/** Writes a skill whole; a replaced skill keeps none of its former files or origin. */
function save(doc: Y.Doc, skill: FolderSkill | MadeHere): void {
  if (skill.origin === undefined) {
    putSkillSource(doc, skill.skillId, skill.source);
    deleteSkillFiles(doc, skill.skillId);
    skillOriginsOf(doc).delete(skill.skillId);
    return;
  }
  // folderSkillOf checked the files already, so this cannot refuse them.
  const saved = saveFolderSkill(doc, skill);
  if (!saved.ok) throw new HttpError('bad_request', saved.error.map((e) => e.message).join(' '), saved.error);
}

/** A stored skill's name, or its id when its file does not validate (a broken skill is trashed all the same). */
function skillNameIn(doc: Y.Doc, skillId: string): string {
  const source = getSkillSource(doc, skillId);
  const read = source === undefined ? null : readSkill(source, { skillId });
  return read?.ok ? read.value.frontmatter.name : skillId;
}

/** The REST face of skills (`/api/skills`), read from and written to the volume index rooms. */
export function skillsRouter(rooms: Rooms, identify: Identify): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const q = parseOr400(VolumeQuerySchema, req.query, 'query');
    // The original lists the system volume unless told otherwise.
    const { ref, index } = targetIndex(identify(req), q.volume ? q : { volume: 'system' }, 'read');
    const listed = await rooms.use(index, (room) => {
      const skills = [];
      const invalid = [];
      for (const [id, source] of [...listSkillSources(room.doc)].sort(([a], [b]) => a.localeCompare(b))) {
        const read = readSkill(source, { file: skillFile(ref, id), skillId: id });
        if (read.ok) skills.push(summary(read.value, ref, room.doc, id));
        else invalid.push({ skill_id: id, errors: read.error });
      }
      return { skills, invalid };
    });
    res.json(listed);
  });

  router.get('/:skill_id', async (req, res) => {
    const id = idOr400(req.params.skill_id, 'skill_id', 'skill id');
    const q = parseOr400(VolumeQuerySchema, req.query, 'query');
    const found = await findReadableSkill(rooms, identify(req), id, q, (doc, ref) => {
      const source = getSkillSource(doc, id);
      if (source === undefined) return undefined;
      const read = readSkill(source, { file: skillFile(ref, id), skillId: id });
      return read.ok ? ok(detail(read.value, ref, doc, id, source)) : read;
    });
    if (!found.ok) throw invalidSkill(found.error);
    res.json(found.value);
  });

  addSkillDownloads(router, rooms, identify);

  // Its own body limit (app.ts leaves this route to it): a skill with its files is larger than other bodies.
  router.post('/', express.json({ limit: SKILL_IMPORT_BODY_BYTES }), async (req, res) => {
    const body = parseOr400(CreateSkill, req.body, 'skill');
    const { ref, index } = targetIndex(identify(req), { volume: body.volume, volume_id: body.volume_id }, 'writeSkills');
    const incoming = 'content' in body ? folderSkillOf(body) : madeHere(markdownOf(body));
    const id = incoming.skillId;
    const answer = await rooms.use(index, (room) => {
      if (getSkillSource(room.doc, id) !== undefined && !body.overwrite) {
        throw new HttpError('conflict', `Skill "${id}" already exists in ${ref.volume}/${ref.volumeId}; send "overwrite": true to replace it.`);
      }
      room.doc.transact(() => save(room.doc, incoming), ORIGIN.rest);
      return detail(incoming.skill, ref, room.doc, id, incoming.source);
    });
    res.status(201).json({ ...answer, skill_id: id, warnings: incoming.skill.warnings });
  });

  // To the volume's skill trash, with its files and origin, until it is restored or purged.
  router.delete('/:skill_id', async (req, res) => {
    const id = idOr400(req.params.skill_id, 'skill_id', 'skill id');
    const identity = identify(req);
    const { ref, index } = targetIndex(identity, parseOr400(VolumeQuerySchema, req.query, 'query'), 'writeSkills');
    const trashed = await rooms.use(index, (room) =>
      room.doc.transact(() => trashSkill(room.doc, ref, id, { by: deleterOf(identity), at: nowIso() }, skillNameIn(room.doc, id)), ORIGIN.rest),
    );
    if (!trashed.ok) throw new HttpError('not_found', `No skill "${id}" in ${ref.volume}/${ref.volumeId}.`);
    res.json({ deleted: true, skill_id: id, trash_id: trashed.value.id });
  });

  return router;
}
