import { lazy } from 'preact/compat';
import { PanelButton } from './panel-button';

const AssistantsPanel = lazy(() => import('./assistants-panel').then((m) => ({ default: m.AssistantsPanel })));

/** Opens the Assistants panel: how to use this library from Claude Code, Claude's desktop app and other MCP clients. */
export const AssistantsButton = () => <PanelButton label="Assistants" title="Use your skills and workflows from Claude and other assistants (MCP)" testId="assistants-open" Panel={AssistantsPanel} />;
