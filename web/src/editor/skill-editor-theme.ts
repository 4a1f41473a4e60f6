import { HighlightStyle } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

/** The app's dark look (web/src/style.css) for the skill editor. */
export const skillEditorTheme = EditorView.theme(
  {
    '&': { height: '100%', backgroundColor: '#0b1222', color: '#e2e8f0', fontSize: '13px' },
    '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', lineHeight: '20px' },
    '.cm-content': { caretColor: '#38bdf8' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#38bdf8' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: '#1e3a5f' },
    '.cm-gutters': { backgroundColor: '#0b1222', color: '#475569', borderRight: '1px solid #22304d' },
    '.cm-activeLine': { backgroundColor: 'rgba(56, 189, 248, 0.05)' },
    '.cm-activeLineGutter': { backgroundColor: 'rgba(56, 189, 248, 0.08)', color: '#94a3b8' },
    '.cm-skill-error-line': { backgroundColor: 'rgba(239, 68, 68, 0.18)', boxShadow: 'inset 3px 0 #ef4444' },
    '.cm-tooltip': { backgroundColor: '#111c33', border: '1px solid #22304d', color: '#e2e8f0' },
    '.cm-diagnostic-error': { borderLeftColor: '#ef4444' },
    '.cm-matchingBracket': { backgroundColor: 'rgba(56, 189, 248, 0.2)', outline: 'none' },
  },
  { dark: true },
);

/** Token colours for the frontmatter, the Markdown and the code fences. */
export const skillHighlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword], color: '#c084fc' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: '#64748b', fontStyle: 'italic' },
  { tag: [t.string, t.special(t.string)], color: '#86efac' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#fdba74' },
  { tag: [t.propertyName, t.attributeName], color: '#7dd3fc' },
  { tag: [t.typeName, t.className], color: '#fcd34d' },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.variableName)], color: '#93c5fd' },
  { tag: t.special(t.variableName), color: '#f472b6' },
  { tag: [t.heading, t.strong], color: '#e2e8f0', fontWeight: '700' },
  { tag: t.emphasis, fontStyle: 'italic' },
  { tag: [t.meta, t.processingInstruction, t.monospace], color: '#94a3b8' },
  { tag: [t.link, t.url], color: '#38bdf8' },
  { tag: [t.operator, t.punctuation, t.bracket], color: '#cbd5e1' },
  { tag: t.invalid, color: '#f87171' },
]);
