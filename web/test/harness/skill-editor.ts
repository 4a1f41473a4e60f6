import type { Page } from 'playwright-core';

/** The skill editor's content element (CodeMirror's, marked `skill-source`), in the full editor or beside the canvas. */
export const skillSource = (page: Page, scope = '') => page.locator(`${scope} [data-testid="skill-source"]`.trim());

/** Waits until a skill editor's CodeMirror is mounted (it loads on first use). */
export async function editorReady(page: Page, scope = ''): Promise<void> {
  await page.locator(`${scope} [data-testid="skill-source-editor"][data-ready="true"]`.trim()).waitFor();
}

/** The text a skill editor shows, line by line; collaborators' cursor labels left out. */
export const editorText = (page: Page, scope = ''): Promise<string> =>
  skillSource(page, scope)
    .locator('.cm-line')
    .evaluateAll((lines) =>
      lines
        .map((line) => {
          const copy = line.cloneNode(true) as HTMLElement;
          for (const widget of copy.querySelectorAll('.cm-ySelectionCaret, .cm-widgetBuffer')) widget.remove();
          return copy.textContent ?? '';
        })
        .join('\n'),
    );

/** Puts the cursor at the end of a 1-based line of the skill editor (by clicking it, then End). */
export async function cursorAtEndOf(page: Page, line: number, scope = ''): Promise<void> {
  await skillSource(page, scope).locator('.cm-line').nth(line - 1).click();
  await page.keyboard.press('End');
}
