import { useEffect, useState } from 'preact/hooks';

/** What the server says of its configuration at `/api/config` (never a secret). */
export interface ServerConfig {
  chat_configured: boolean;
  auth_required: boolean;
  pyodide_package_url: string | null;
}

let asked: Promise<ServerConfig | null> | null = null;

/**
 * The server's configuration, asked once per page; null when the server cannot be reached
 * (offline) or answers something else, and then asked again next time.
 */
export function serverConfig(): Promise<ServerConfig | null> {
  asked ??= fetch('/api/config')
    .then((r) => (r.ok ? (r.json() as Promise<Partial<ServerConfig>>) : null))
    .then((c) => (c ? { chat_configured: c.chat_configured !== false, auth_required: c.auth_required === true, pyodide_package_url: c.pyodide_package_url ?? null } : null))
    .catch(() => null)
    .then((c) => {
      if (!c) asked = null;
      return c;
    });
  return asked;
}

/** The server's configuration in a component: null until known, or while it cannot be reached. */
export function useServerConfig(): ServerConfig | null {
  const [config, setConfig] = useState<ServerConfig | null>(null);
  useEffect(() => {
    let live = true;
    void serverConfig().then((c) => live && setConfig(c));
    return () => {
      live = false;
    };
  }, []);
  return config;
}
