import { anthropicSdk } from './anthropic-sdk';

/** A chat failure in words a person can act on, with a code the PWA can branch on. */
export interface ChatFailure {
  code: 'not_configured' | 'upstream_auth' | 'upstream_rate_limited' | 'upstream_unavailable' | 'upstream_timeout' | 'stream_dropped' | 'upstream_error';
  message: string;
}

export const NOT_CONFIGURED: ChatFailure = {
  code: 'not_configured',
  message:
    'The chat is not configured on this server: set ANTHROPIC_API_KEY (and optionally ANTHROPIC_BASE_URL and CHAT_MODEL) in its environment and restart it. Everything else in LLMunix works without it.',
};

/** Turns whatever the SDK threw into a clear message; never includes the API key. */
export function describeUpstreamError(error: unknown, apiKey: string, timeoutMs: number): ChatFailure {
  // The error came from the SDK's client, so the SDK is loaded already.
  const Anthropic = anthropicSdk().default;
  const scrub = (text: string) => (apiKey ? text.split(apiKey).join('[key]') : text);
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return { code: 'upstream_timeout', message: `The Anthropic API did not answer within ${Math.round(timeoutMs / 1000)} s. Try again in a moment.` };
  }
  if (error instanceof Anthropic.AuthenticationError || error instanceof Anthropic.PermissionDeniedError) {
    return { code: 'upstream_auth', message: `The server's Anthropic API key was refused (${error.status}). Whoever runs the server should check ANTHROPIC_API_KEY.` };
  }
  if (error instanceof Anthropic.RateLimitError) {
    return { code: 'upstream_rate_limited', message: 'The Anthropic API is rate limiting this server (429). Wait a minute and ask again.' };
  }
  if (error instanceof Anthropic.APIError && typeof error.status === 'number' && error.status >= 500) {
    return { code: 'upstream_unavailable', message: `The Anthropic API failed (${error.status}). Try again shortly; your message is kept.` };
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return { code: 'stream_dropped', message: 'The connection to the Anthropic API dropped before the answer was complete. What arrived is kept; ask again to continue.' };
  }
  if (error instanceof Anthropic.APIError) {
    return { code: 'upstream_error', message: scrub(`The Anthropic API refused the request (${error.status ?? 'no status'}): ${error.message}`) };
  }
  return { code: 'stream_dropped', message: 'The answer stopped before it was complete. What arrived is kept; ask again to continue.' };
}
