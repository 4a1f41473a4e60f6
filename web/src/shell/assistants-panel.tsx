import { useState } from 'preact/hooks';
import { currentIdentity } from '../documents/identity';
import { useStore } from '../documents/store';
import { CHECKOUT_PLACEHOLDER, mcpSetup } from './mcp-setup';
import { usePanelClosing } from './panel-button';
import { useServerConfig } from './server-config';
import './storage-panel.css';

/** A configuration to paste, with a button that copies it. */
function Snippet({ text, testId }: { text: string; testId: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
  return (
    <div class="snippet">
      <pre data-testid={testId}>{text}</pre>
      <button type="button" class="small" data-testid={`${testId}-copy`} onClick={() => void copy()}>
        {copied === 'yes' ? 'Copied' : 'Copy'}
      </button>
      {copied === 'no' && <span class="muted"> The browser refused the clipboard: select the text and copy it.</span>}
    </div>
  );
}

/**
 * How to use this library from other assistants: every skill and workflow the person can read is
 * an MCP tool of this server, run here (README "The library for other assistants").
 */
export function AssistantsPanel({ onClose }: { onClose(): void }) {
  const close = usePanelClosing(onClose);
  const token = useStore(currentIdentity, (i) => i.token);
  const config = useServerConfig();
  const setup = mcpSetup(location.origin, token);
  return (
    <div class="storage-panel" role="dialog" aria-label="Assistants" data-testid="assistants-panel">
      <div class="storage-heading">
        <h2>Use your library from other assistants</h2>
        <button type="button" ref={close} onClick={onClose} data-testid="assistants-close">
          Close
        </button>
      </div>
      <p>
        Every skill and workflow you can read here is a tool for Claude Code, Claude's desktop app and any other MCP client, run on this
        server; instruction skills are prompts. Their runs show in each workflow's Runs panel, marked “via an assistant (MCP)”.
      </p>
      {config?.auth_required && !token && (
        <p class="panel-error" data-testid="assistants-sign-in">
          This server needs a token: sign in first, and the configuration below will carry yours.
        </p>
      )}
      <h3>Claude Code</h3>
      <Snippet text={setup.claudeCode} testId="mcp-claude-code" />
      <h3>Claude's desktop app</h3>
      <p class="muted">
        In <code>claude_desktop_config.json</code>, with {CHECKOUT_PLACEHOLDER} replaced by where LLMunix is checked out (the command bridges to
        this server):
      </p>
      <Snippet text={setup.desktop} testId="mcp-desktop" />
      {token && <p class="muted">Both carry your token: keep them to yourself.</p>}
    </div>
  );
}
