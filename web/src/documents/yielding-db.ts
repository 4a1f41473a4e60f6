import { openDB, type DBSchema, type IDBPDatabase, type OpenDBCallbacks } from 'idb';

/**
 * An IndexedDB database opened once and shared by every call of the returned function, which
 * yields to a newer release: when another tab asks to upgrade it, this tab closes its
 * connection (rather than keep that tab waiting) and the next call opens it again. A failed
 * open is tried again on the next call.
 */
export function yieldingDb<T extends DBSchema>(name: string, version: number, upgrade: NonNullable<OpenDBCallbacks<T>['upgrade']>): () => Promise<IDBPDatabase<T>> {
  let opening: Promise<IDBPDatabase<T>> | null = null;
  return () => {
    opening ??= openDB<T>(name, version, {
      upgrade,
      blocking() {
        void opening?.then((d) => d.close());
        opening = null;
      },
    }).catch((e: unknown) => {
      opening = null;
      throw e;
    });
    return opening;
  };
}
