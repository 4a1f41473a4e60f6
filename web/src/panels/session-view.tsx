import type { Route } from '../router';

// Replaced by the session view (the session's history from its document).
export function SessionView(_props: { route: Extract<Route, { view: 'session' }> }) {
  return <div class="session-view" />;
}
