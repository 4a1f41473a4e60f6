/**
 * What a person pastes into another assistant to reach this server's library over MCP
 * (README "The library for other assistants"): the server's `/mcp` for clients that speak HTTP
 * (Claude Code), and `npm run mcp` bridging stdio to it for clients that start a command
 * (Claude's desktop app), which runs where LLMunix is checked out.
 */

/** Where the checkout's path goes in the desktop configuration: the browser cannot know it. */
export const CHECKOUT_PLACEHOLDER = '/path/to/llmunix';

export interface McpSetup {
  endpoint: string;
  claudeCode: string;
  desktop: string;
}

export function mcpSetup(origin: string, token: string | undefined): McpSetup {
  const endpoint = `${origin}/mcp`;
  const header = token ? ` --header "Authorization: Bearer ${token}"` : '';
  const server = {
    command: 'npm',
    args: ['run', '--silent', 'mcp', '--prefix', CHECKOUT_PLACEHOLDER, '--', '--server', origin],
    ...(token ? { env: { LLMUNIX_TOKEN: token } } : {}),
  };
  return {
    endpoint,
    claudeCode: `claude mcp add --transport http llmunix ${endpoint}${header}`,
    desktop: JSON.stringify({ mcpServers: { llmunix: server } }, null, 2),
  };
}
