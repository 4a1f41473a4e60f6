import type { LineHunk } from '../../../shared/src/history/changes';

const MARK = { same: ' ', added: '+', removed: '−' } as const;

/** A line diff as hunks: removed lines red, added green, each hunk headed by where it starts. */
export function SkillDiff({ hunks }: { hunks: LineHunk[] }) {
  if (hunks.length === 0) {
    return (
      <p class="muted" data-testid="skill-diff-same">
        The text now is the same as this version.
      </p>
    );
  }
  return (
    <div class="skill-version-diff" data-testid="skill-diff">
      {hunks.map((h) => (
        <div key={`${h.oldStart}:${h.newStart}`}>
          <div class="diff-gap">
            lines {h.oldStart}–{h.oldStart + Math.max(0, h.oldLines - 1)} then, {h.newStart}–{h.newStart + Math.max(0, h.newLines - 1)} now
          </div>
          {h.lines.map((line, i) => (
            <div key={i} class={`diff-line diff-${line.op}`}>
              {MARK[line.op]} {line.text}
              {line.noNewline && <span class="muted"> (no newline at the end)</span>}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
