// The store helper (web/src/documents/store.ts) and what the room set keeps in stores: the sync
// status of its rooms (documents/sync-status.ts) and the writes the server refused (refusals.ts).
import { describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { dismissRefusal, recordRefusal, type Refusals } from '../src/documents/refusals';
import { createStore } from '../src/documents/store';
import { sameSyncStatus, syncStatusOf } from '../src/documents/sync-status';

describe('createStore', () => {
  it('tells its listeners of each change, until they unsubscribe', () => {
    const store = createStore(1);
    const heard: number[] = [];
    const stop = store.subscribe(() => heard.push(store.get()));
    store.set(2);
    store.set(2);
    store.set(3);
    stop();
    store.set(4);
    expect(heard).toEqual([2, 3]);
    expect(store.get()).toBe(4);
  });

  it('asks `equals` whether a new value is a change', () => {
    const store = createStore({ state: 'offline', pending: 0 } as const, sameSyncStatus);
    let calls = 0;
    store.subscribe(() => calls++);
    const first = store.get();
    store.set({ state: 'offline', pending: 0 });
    expect(calls).toBe(0);
    expect(store.get()).toBe(first);
  });

  it('a listener that unsubscribes while being told does not stop the others hearing', () => {
    const store = createStore('a');
    const heard: string[] = [];
    const stop = store.subscribe(() => {
      heard.push('first');
      stop();
    });
    store.subscribe(() => heard.push('second'));
    store.set('b');
    store.set('c');
    expect(heard).toEqual(['first', 'second', 'second']);
  });
});

const provider = (synced: boolean, wsconnected: boolean, wsconnecting = false) => ({ synced, wsconnected, wsconnecting }) as WebsocketProvider;

describe('syncStatusOf', () => {
  it('adds up the changes waiting in every room', () => {
    expect(syncStatusOf([{ provider: provider(false, false), pending: 2 }, { provider: provider(true, true), pending: 1 }], false)).toEqual({ state: 'offline', pending: 3 });
  });

  it('is synced when every room is, connecting while any socket is trying, offline otherwise', () => {
    expect(syncStatusOf([], true).state).toBe('synced');
    expect(syncStatusOf([], false).state).toBe('offline');
    expect(syncStatusOf([{ provider: provider(true, true), pending: 0 }], true).state).toBe('synced');
    expect(syncStatusOf([{ provider: provider(true, true), pending: 0 }, { provider: provider(false, false, true), pending: 0 }], true).state).toBe('connecting');
    expect(syncStatusOf([{ provider: provider(false, false), pending: 0 }], true).state).toBe('offline');
    expect(syncStatusOf([{ provider: provider(false, true), pending: 0 }], false).state).toBe('offline');
  });
});

describe('refusals', () => {
  it('keep the latest refusal per room, newest first, until dismissed', () => {
    const refusals = createStore<Refusals>([]);
    recordRefusal(refusals, 'user/a/workflow/1', 'read-only: first');
    recordRefusal(refusals, 'user/a/workflow/2', 'read-only: second');
    recordRefusal(refusals, 'user/a/workflow/1', 'read-only: again');
    expect(refusals.get().map((r) => [r.room, r.reason])).toEqual([
      ['user/a/workflow/1', 'read-only: again'],
      ['user/a/workflow/2', 'read-only: second'],
    ]);
    const before = refusals.get();
    dismissRefusal(refusals, 'user/a/workflow/3');
    expect(refusals.get()).toBe(before);
    dismissRefusal(refusals, 'user/a/workflow/1');
    expect(refusals.get().map((r) => r.room)).toEqual(['user/a/workflow/2']);
  });
});
