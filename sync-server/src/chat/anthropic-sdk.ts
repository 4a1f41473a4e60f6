import type Anthropic from '@anthropic-ai/sdk';
import { onFirstUse } from '../on-first-use';

/** The Anthropic SDK, loaded by the first chat request (a server nobody chats with never loads it). */
export const anthropicSdk = onFirstUse<{ default: typeof Anthropic }>('@anthropic-ai/sdk');
