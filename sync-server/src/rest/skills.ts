import { Router } from 'express';
import { z } from 'zod';
import { getSkillSource, listSkillSources, putSkillSource, removeSkill } from '../../../shared/src/documents/volume-index';
import { ORIGIN } from '../../../shared/src/origins';
import { volumeRoom, VOLUMES } from '../../../shared/src/rooms';
import { parseSkill, type Skill, type SkillError } from '../../../shared/src/skill/parse';
import { InputPortSchema, OutputPortSchema, SKILL_TYPES, SkillFrontmatterSchema } from '../../../shared/src/skill/schema';
import { buildSkillMarkdown } from '../../../shared/src/skill/serialize';
import type { Identify } from '../access/identity';
import type { Rooms } from '../rooms/rooms';
import { HttpError } from '../http/errors';
import { IdSchema, idOr400, parseOr400 } from '../http/validate';
import { canAccess, requireAccess, searchOrder, targetIndex, VolumeQuerySchema, type VolumeRef } from '../access/volumes';

const LANGUAGE_TYPES = { python: 'python', javascript: 'javascript', spice: 'ngspice' } as const;

/** The original's create body, plus our typed ports, or a whole skill file as `content`. */
const CreateSkill = z.union([
  z.strictObject({
    content: z.string().min(1).max(1_000_000),
    volume: z.enum(VOLUMES).optional(),
    volume_id: IdSchema.optional(),
    overwrite: z.boolean().optional(),
  }),
  z.strictObject({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(2000).default(''),
    code: z.string().min(1).max(1_000_000),
    language: z.enum(['python', 'javascript', 'spice']).optional(),
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

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128) || 'skill';

function summary(skill: Skill, ref: VolumeRef) {
  const fm = skill.frontmatter;
  return { ...fm, volume: ref.volume, volume_id: ref.volumeId };
}

const skillFile = (ref: VolumeRef, id: string) => `volumes/${ref.volume}/${ref.volumeId}/skills/${id}.md`;

function markdownOf(body: CreateSkillBody): string {
  if ('content' in body) return body.content;
  const type = body.type ?? LANGUAGE_TYPES[body.language ?? 'python'];
  const frontmatter = SkillFrontmatterSchema.safeParse({
    name: body.name,
    skill_id: body.skill_id ?? slug(body.name),
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

function invalidSkill(errors: SkillError[]): HttpError {
  const lines = errors.map((e) => `line ${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`);
  return new HttpError('invalid_skill', `Invalid skill file: ${lines.join('; ')}`, errors);
}

/** The REST face of skills (`/api/skills`), read from and written to the volume index rooms. */
export function skillsRouter(rooms: Rooms, identify: Identify): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const q = parseOr400(VolumeQuerySchema, req.query, 'query');
    // The original lists the system volume unless told otherwise.
    const { ref, index } = targetIndex(identify(req), q.volume ? q : { volume: 'system' }, 'read');
    const sources = await rooms.use(index, (room) => listSkillSources(room.doc));
    const skills = [];
    const invalid = [];
    for (const [id, source] of [...sources].sort(([a], [b]) => a.localeCompare(b))) {
      const parsed = parseSkill(source, skillFile(ref, id));
      if (parsed.ok) skills.push(summary(parsed.value, ref));
      else invalid.push({ skill_id: id, errors: parsed.error });
    }
    res.json({ skills, invalid });
  });

  router.get('/:skill_id', async (req, res) => {
    const identity = identify(req);
    const id = idOr400(req.params.skill_id, 'skill_id', 'skill id');
    const q = parseOr400(VolumeQuerySchema, req.query, 'query');
    for (const ref of searchOrder(identity, q, true)) {
      const index = volumeRoom(ref.volume, ref.volumeId);
      if (q.volume) requireAccess(identity, index, 'read');
      else if (!canAccess(identity, index, 'read')) continue;
      const source = await rooms.use(index, (room) => getSkillSource(room.doc, id));
      if (source === undefined) continue;
      const parsed = parseSkill(source, skillFile(ref, id));
      if (!parsed.ok) throw invalidSkill(parsed.error);
      res.json({ ...summary(parsed.value, ref), language: parsed.value.codeLanguage, code: parsed.value.code, content: source });
      return;
    }
    throw new HttpError('not_found', `No skill "${id}" in the volumes you can read.`);
  });

  router.post('/', async (req, res) => {
    const body = parseOr400(CreateSkill, req.body, 'skill');
    const { ref, index } = targetIndex(identify(req), { volume: body.volume, volume_id: body.volume_id }, 'writeSkills');
    const markdown = markdownOf(body);
    const parsed = parseSkill(markdown, 'skill.md');
    if (!parsed.ok) throw invalidSkill(parsed.error);
    const id = parsed.value.frontmatter.skill_id;
    await rooms.use(index, (room) => {
      if (getSkillSource(room.doc, id) !== undefined && !body.overwrite) {
        throw new HttpError('conflict', `Skill "${id}" already exists in ${ref.volume}/${ref.volumeId}; send "overwrite": true to replace it.`);
      }
      room.doc.transact(() => putSkillSource(room.doc, id, markdown), ORIGIN.rest);
    });
    res.status(201).json({ ...summary(parsed.value, ref), language: parsed.value.codeLanguage, code: parsed.value.code, content: markdown });
  });

  router.delete('/:skill_id', async (req, res) => {
    const id = idOr400(req.params.skill_id, 'skill_id', 'skill id');
    const { ref, index } = targetIndex(identify(req), parseOr400(VolumeQuerySchema, req.query, 'query'), 'writeSkills');
    const removed = await rooms.use(index, (room) => {
      let done = false;
      room.doc.transact(() => (done = removeSkill(room.doc, id)), ORIGIN.rest);
      return done;
    });
    if (!removed) throw new HttpError('not_found', `No skill "${id}" in ${ref.volume}/${ref.volumeId}.`);
    res.json({ deleted: true, skill_id: id });
  });

  return router;
}
