import type { SkillError } from '../../../shared/src/skill/parse';

/** Marks an instruction skill: prose for the assistant, nothing to run. */
export function InstructionBadge() {
  return (
    <span class="kind-badge" data-testid="skill-kind" title="Instructions for the assistant: nothing to run, so not a workflow node">
      instructions
    </span>
  );
}

/** "Valid", the count of problems, or that the code is still being checked. */
export function SkillStatus({ problems }: { problems: SkillError[] | null }) {
  if (problems === null) return <span class="muted" data-testid="skill-checking">Checking…</span>;
  if (problems.length === 0) {
    return (
      <span class="valid" data-testid="skill-valid">
        Valid
      </span>
    );
  }
  return (
    <span class="invalid" data-testid="skill-invalid">
      {problems.length} error{problems.length === 1 ? '' : 's'}
    </span>
  );
}
