import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Volume } from '../../../shared/src/rooms';
import type { WorkflowFile } from '../../../shared/src/workflow/file';
import { checkedId, checkedVolume } from '../storage/storage';
import type { BlobStore } from './blob-store';

/**
 * The folder of a volume in the original's blob layout. Keys are built from checked names only
 * (an InvalidNameError otherwise), so a skill id such as "x/../../y" can never pick the folder.
 */
export const volumeFolder = (volume: Volume, volumeId: string): string => `volumes/${checkedVolume(volume, volumeId)}/`;
/** A skill's Markdown file. */
export const skillBlobKey = (volume: Volume, volumeId: string, skillId: string): string =>
  `${volumeFolder(volume, volumeId)}skills/${checkedId(skillId, 'skill id')}.md`;
/** A workflow's `llmunix-workflow` file. */
export const workflowBlobKey = (volume: Volume, volumeId: string, workflowId: string): string =>
  `${volumeFolder(volume, volumeId)}workflows/${checkedId(workflowId, 'workflow id')}.json`;

/** A workflow file's text, exactly as the app exports it. */
export const workflowFileText = (file: WorkflowFile): string => `${JSON.stringify(file, null, 2)}\n`;

const SKILL_FILE = /^skills\/([^/]+)\.md$/;
const WORKFLOW_FILE = /^workflows\/([^/]+)\.json$/;
const MARKDOWN = 'text/markdown; charset=utf-8';
const JSON_TYPE = 'application/json';
/** How many blobs this instance remembers having written, so unchanged ones are not sent again. */
const WRITTEN_CACHE_SIZE = 10_000;

const digest = (text: string): string => createHash('sha256').update(text).digest('base64');

/**
 * The original's blob layout, rebuilt from the documents: a volume's skills as
 * `volumes/{volume}/{volumeId}/skills/{id}.md` and its listed workflows as
 * `.../workflows/{id}.json`. Every call states what should be there and makes it so, whatever
 * was there before, so any instance may write it and a missed write heals on the next change.
 * Callers pass only validated ids.
 */
export class BlobMirror {
  /** Blob key → digest of what this instance last wrote there, or null for "deleted". */
  private readonly written = new Map<string, string | null>();

  constructor(
    private readonly store: BlobStore,
    private readonly log: Logger,
  ) {}

  private remember(key: string, value: string | null): void {
    this.written.delete(key);
    this.written.set(key, value);
    if (this.written.size > WRITTEN_CACHE_SIZE) this.written.delete(this.written.keys().next().value as string);
  }

  private async put(key: string, text: string, contentType: string): Promise<void> {
    const hash = digest(text);
    if (this.written.get(key) === hash) return;
    this.written.delete(key);
    await this.store.putBlob(key, text, contentType);
    this.remember(key, hash);
  }

  private async delete(key: string): Promise<void> {
    if (this.written.get(key) === null) return;
    this.written.delete(key);
    await this.store.deleteBlob(key);
    this.remember(key, null);
  }

  /**
   * Mirrors a volume index: writes its skills, deletes the skill files of skills that are gone
   * and the workflow files of workflows no longer listed. Returns the listed workflows that have
   * no file yet, for the caller to mirror from their rooms.
   */
  async writeVolume(volume: Volume, volumeId: string, skills: Map<string, string>, workflowIds: string[]): Promise<string[]> {
    const folder = volumeFolder(volume, volumeId);
    const existing = new Set((await this.store.listBlobs(folder)).map((key) => key.slice(folder.length)));
    const listed = new Set(workflowIds);
    for (const [id, markdown] of skills) {
      // A file someone else removed is written again even when this instance wrote it before.
      if (!existing.has(`skills/${id}.md`)) this.written.delete(skillBlobKey(volume, volumeId, id));
      await this.put(skillBlobKey(volume, volumeId, id), markdown, MARKDOWN);
    }
    for (const rest of existing) {
      const skill = SKILL_FILE.exec(rest)?.[1];
      if (skill !== undefined && !skills.has(skill)) {
        this.log.debug({ key: folder + rest }, 'mirror: skill removed, deleting its file');
        this.written.delete(folder + rest);
        await this.delete(folder + rest);
      }
      const workflow = WORKFLOW_FILE.exec(rest)?.[1];
      if (workflow !== undefined && !listed.has(workflow)) {
        this.log.debug({ key: folder + rest }, 'mirror: workflow removed, deleting its file');
        this.written.delete(folder + rest);
        await this.delete(folder + rest);
      }
    }
    const missing = workflowIds.filter((id) => !existing.has(`workflows/${id}.json`));
    for (const id of missing) this.written.delete(workflowBlobKey(volume, volumeId, id));
    return missing;
  }

  /** Writes a workflow's file, or deletes it when the workflow is not listed in its volume (null). */
  async writeWorkflow(volume: Volume, volumeId: string, id: string, file: WorkflowFile | null): Promise<void> {
    const key = workflowBlobKey(volume, volumeId, id);
    if (file) await this.put(key, workflowFileText(file), JSON_TYPE);
    else await this.delete(key);
  }
}
