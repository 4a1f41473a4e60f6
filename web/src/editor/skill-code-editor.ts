import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { markdown } from '@codemirror/lang-markdown';
import { python } from '@codemirror/lang-python';
import { yamlFrontmatter } from '@codemirror/lang-yaml';
import { bracketMatching, indentOnInput, LanguageDescription, LanguageSupport, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Annotation, EditorState, StateEffect, StateField, type Extension, type Text } from '@codemirror/state';
import { Decoration, drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { yCollab, ySyncFacet, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { SkillError } from '../../../shared/src/skill/parse';
import { countAsLocalEdits } from '../documents/rooms';
import { skillEditorTheme, skillHighlightStyle } from './skill-editor-theme';
import { skillUndo } from './skill-undo';
import { spiceLanguage } from './spice-language';

/**
 * A skill's text shared live in its volume's room: edited by everyone in the room at once. The
 * awareness's `user` field (name, colour) labels this person's cursor for the others.
 */
export interface SharedSkillText {
  ytext: Y.Text;
  awareness: Awareness;
}

export interface SkillCodeEditorOptions {
  /** A local text (a draft, or a skill shown read-only) or a skill's shared text. */
  source: { kind: 'text'; text: string } | ({ kind: 'shared' } & SharedSkillText);
  readOnly: boolean;
  /** The text after each local edit (text mode). */
  onChange?: (text: string) => void;
  onSave?: () => void;
}

/** The editor as its Preact component drives it (web/src/panels/skill-source-editor.tsx). */
export interface SkillCodeEditor {
  /** Replaces a text-mode editor's content with what its owner now holds. */
  setText(text: string): void;
  /** Shows the skill's problems as diagnostics at their lines of the file. */
  setProblems(errors: readonly SkillError[]): void;
  /** Puts the cursor at the start of a 1-based line (selecting it when asked) and scrolls it into view. */
  goToLine(line: number, select: boolean): void;
  destroy(): void;
}

/** The skill's own languages, by the names and aliases a `## Code` fence may give them. */
const FENCE_LANGUAGES = [
  LanguageDescription.of({ name: 'python', alias: ['py'], support: python() }),
  LanguageDescription.of({ name: 'javascript', alias: ['js'], support: javascript() }),
  LanguageDescription.of({ name: 'spice', alias: ['ngspice'], support: new LanguageSupport(spiceLanguage) }),
];

const skillLanguage = (): LanguageSupport => yamlFrontmatter({ content: markdown({ codeLanguages: FENCE_LANGUAGES }) });

/** Marks a text-mode change that came from the editor's owner, not from typing: not reported back. */
const fromOwner = Annotation.define<boolean>();

const setErrorLines = StateEffect.define<readonly SkillError[]>();

/** The lines with problems, marked as whole lines (`data-line` is the file's line) and kept in place as text is edited. */
const errorLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(lines, tr) {
    for (const effect of tr.effects) if (effect.is(setErrorLines)) return lineDecorations(tr.state.doc, effect.value);
    return lines.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

function lineDecorations(doc: Text, errors: readonly SkillError[]): DecorationSet {
  const lines = [...new Set(errors.map((e) => clampLine(doc, e.line)))].sort((a, b) => a - b);
  return Decoration.set(
    lines.map((n) => Decoration.line({ class: 'cm-skill-error-line', attributes: { 'data-testid': 'error-band', 'data-line': String(n) } }).range(doc.line(n).from)),
  );
}

const clampLine = (doc: Text, line: number): number => Math.min(Math.max(1, line), doc.lines);

function diagnosticsOf(doc: Text, errors: readonly SkillError[]): Diagnostic[] {
  return errors.map((e) => {
    const line = doc.line(clampLine(doc, e.line));
    return { from: line.from, to: line.to, severity: 'error', message: e.field ? `${e.field}: ${e.message}` : e.message, source: `${e.file}:${e.line}` };
  });
}

function sourceExtensions(options: SkillCodeEditorOptions): Extension[] {
  const { source } = options;
  if (source.kind === 'text') {
    return [
      history(),
      keymap.of(historyKeymap),
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !u.transactions.some((t) => t.annotation(fromOwner))) options.onChange?.(u.state.doc.toString());
      }),
    ];
  }
  return [keymap.of(yUndoManagerKeymap), yCollab(source.ytext, source.awareness, { undoManager: skillUndo(source.ytext) })];
}

/**
 * Mounts CodeMirror for a skill's Markdown in `parent`: highlighted frontmatter and code fences
 * (Python, JavaScript, SPICE), problems as diagnostics, and, for a shared skill, live co-editing
 * with the room's cursors and an undo of this person's own edits only.
 */
export function mountSkillCodeEditor(parent: HTMLElement, options: SkillCodeEditorOptions): SkillCodeEditor {
  const { source } = options;
  const state = EditorState.create({
    doc: source.kind === 'text' ? source.text : source.ytext.toString(),
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      drawSelection(),
      bracketMatching(),
      indentOnInput(),
      lintGutter(),
      errorLines,
      keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (options.onSave?.(), true) }, indentWithTab, ...defaultKeymap]),
      ...sourceExtensions(options),
      skillLanguage(),
      syntaxHighlighting(skillHighlightStyle),
      skillEditorTheme,
      EditorState.tabSize.of(4),
      EditorState.readOnly.of(options.readOnly),
      EditorView.editable.of(!options.readOnly),
      EditorView.contentAttributes.of({ 'data-testid': 'skill-source', 'aria-label': 'Skill Markdown' }),
    ],
  });
  const view = new EditorView({ state, parent });
  // The binding writes this person's typing under its own origin: the room counts it as unsent while offline.
  if (source.kind === 'shared') countAsLocalEdits(view.state.facet(ySyncFacet));
  let problems: readonly SkillError[] = [];

  return {
    setText(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: fromOwner.of(true) });
      this.setProblems(problems);
    },
    setProblems(errors) {
      problems = errors;
      const doc = view.state.doc;
      view.dispatch(setDiagnostics(view.state, diagnosticsOf(doc, errors)), { effects: setErrorLines.of(errors) });
    },
    goToLine(n, select) {
      const line = view.state.doc.line(clampLine(view.state.doc, n));
      view.dispatch({
        selection: select ? { anchor: line.from, head: line.to } : { anchor: line.from },
        effects: EditorView.scrollIntoView(line.from, { y: 'center' }),
      });
      view.focus();
    },
    destroy() {
      view.destroy();
      if (source.kind === 'shared') source.awareness.setLocalStateField('cursor', null);
    },
  };
}
