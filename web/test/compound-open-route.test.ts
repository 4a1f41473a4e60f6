// Where an open compound lives in the URL: `#/workflow/…/open/<node>/<node>` parses to the nodes
// opened, outermost first; a bad node id is "not found"; going up drops one level at a time.
import { describe, expect, it } from 'vitest';
import { hashUp } from '../src/compound/open-route';
import { parseRoute } from '../src/router';

describe('the route of an open compound', () => {
  it('names the workflow and the nodes opened, outermost first', () => {
    expect(parseRoute('#/workflow/user/default/wf/open/b/inner')).toEqual({
      view: 'workflow',
      room: 'user/default/workflow/wf',
      volume: 'user',
      volumeId: 'default',
      id: 'wf',
      open: ['b', 'inner'],
    });
    expect(parseRoute('#/workflow/user/default/wf')).not.toHaveProperty('open');
    expect(parseRoute('#/workflow/user/default/wf/open').view).toBe('not-found');
    expect(parseRoute('#/workflow/user/default/wf/open/..').view).toBe('not-found');
    expect(parseRoute('#/session/user/default/s/open/b').view).toBe('not-found');
  });

  it('goes up one level, or several, back to the workflow', () => {
    const hash = '#/workflow/user/default/wf/open/b/inner';
    expect(hashUp(hash, 1)).toBe('#/workflow/user/default/wf/open/b');
    expect(hashUp(hash, 2)).toBe('#/workflow/user/default/wf');
    expect(hashUp(hash, 5)).toBe('#/workflow/user/default/wf');
    expect(hashUp('#/workflow/user/default/wf', 1)).toBe('#/workflow/user/default/wf');
  });
});
