import { lazy } from 'preact/compat';
import { PanelButton } from './panel-button';

const StoragePanel = lazy(() => import('./storage-panel').then((m) => ({ default: m.StoragePanel })));

/** Opens the Storage panel: what this browser keeps for the app, its budget, and a way to clear it. */
export const StorageButton = () => <PanelButton label="Storage" title="What this browser keeps for the app" testId="storage-open" Panel={StoragePanel} />;
