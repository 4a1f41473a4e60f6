// A workflow's run history room opens with the workflow's share link (web/src/documents/identity.ts):
// the same token, and the same mode, as the server grants it (shared/src/access.ts).
import { describe, expect, it } from 'vitest';
import { mintShareToken } from '../../sync-server/src/access/tokens';
import { roomMode, tokenFor, type Identity } from '../src/documents/identity';

const SECRET = 'runs-token-secret-0123456789-abcdef';
const person = (shareTokens: Record<string, string>, token?: string): Identity => ({ userId: 'default', name: 'A', color: '#000', shareTokens, ...(token ? { token } : {}) });

describe('runs rooms in the app', () => {
  it("open with their workflow's link, in its mode, and no other workflow's", async () => {
    const read = await mintShareToken(SECRET, 'user/alice/workflow/w', 'read');
    const write = await mintShareToken(SECRET, 'user/alice/workflow/v', 'write');
    const identity = person({ 'user/alice/workflow/w': read, 'user/alice/workflow/v': write });
    expect(tokenFor('user/alice/runs/w', identity)).toBe(read);
    expect(roomMode('user/alice/runs/w', identity)).toBe('read');
    expect(tokenFor('user/alice/runs/v', identity)).toBe(write);
    expect(roomMode('user/alice/runs/v', identity)).toBe('write');
    expect(tokenFor('user/alice/runs/x', identity)).toBeUndefined();
    // A session's link opens no runs room of the same id.
    expect(tokenFor('user/alice/runs/s', person({ 'user/alice/session/s': write }))).toBeUndefined();
  });

  it("use the person's own token when they have no link for the workflow", () => {
    expect(tokenFor('user/alice/runs/w', person({}, 'own-token'))).toBe('own-token');
    expect(roomMode('user/alice/runs/w', person({}, 'own-token'))).toBe('write');
  });
});
