import { openSkillBeside } from '../canvas/skill-beside';
import { errorPieces } from '../../../shared/src/execution/error-lines';

/**
 * A run's error, whole: wrapped and scrollable, with every reference to a line of the skill's
 * file a link that opens the skill's editor beside the canvas at that line.
 */
export function ErrorText({ error, skillId }: { error: string; skillId: string | undefined }) {
  return (
    <pre class="result-error" data-testid="result-error">
      {errorPieces(error).map((piece, i) =>
        typeof piece === 'string' || !skillId ? (
          typeof piece === 'string' ? piece : piece.text
        ) : (
          // A link, not a button: a button cannot flow inline with the traceback's text.
          <a
            key={i}
            href="#"
            class="error-line"
            data-testid="error-line"
            data-line={piece.line}
            title={`Open ${skillId} at line ${piece.line} of its file`}
            onClick={(event) => {
              // The app routes by hash: opening the editor beside the canvas must not navigate.
              event.preventDefault();
              openSkillBeside(skillId, piece.line);
            }}
          >
            {piece.text}
          </a>
        ),
      )}
    </pre>
  );
}
