import { useSyncExternalStore } from 'preact/compat';

/** A value that can be read and watched. */
export interface ReadonlyStore<T> {
  get(): T;
  /** Calls `listener` after every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** A value that can be read, changed and watched. */
export interface Store<T> extends ReadonlyStore<T> {
  /** Replaces the value; listeners hear of it unless `equals` says nothing changed. */
  set(next: T): void;
}

/** A store holding `initial`; `equals` decides what counts as a change (by default, identity). */
export function createStore<T>(initial: T, equals: (a: T, b: T) => boolean = Object.is): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (equals(value, next)) return;
      value = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * A store's value in a component, re-rendered when it changes; with `select`, only when the
 * selected part changes (it must return the same object for the same state).
 */
export function useStore<T>(store: ReadonlyStore<T>): T;
export function useStore<T, S>(store: ReadonlyStore<T>, select: (value: T) => S): S;
export function useStore<T, S>(store: ReadonlyStore<T>, select?: (value: T) => S): T | S {
  return useSyncExternalStore(store.subscribe, () => (select ? select(store.get()) : store.get()));
}
