import type { Json } from '../../../shared/src/json';

/** A file a skill made, as Export Results returns it: its text, name and media type. */
export interface FileOutput {
  content: string;
  filename: string;
  mimeType: string;
}

/**
 * The file among a node's outputs, if they describe one (`content` and `filename` as text,
 * `mime_type` optional): people want the file itself, not only its text on screen.
 */
export function fileOutput(outputs: Record<string, Json>): FileOutput | undefined {
  const { content, filename, mime_type: mimeType } = outputs;
  if (typeof content !== 'string' || typeof filename !== 'string' || filename.trim() === '') return undefined;
  return { content, filename: filename.trim(), mimeType: typeof mimeType === 'string' && mimeType ? mimeType : 'text/plain' };
}
