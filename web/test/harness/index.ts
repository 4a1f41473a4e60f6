// Everything an e2e test needs, from one place. The Node-side clients and waitFor are the sync
// server's own test helpers: a stock y-websocket client in Node, as a second device or script.
export { startAppServer, type AppServer } from './app-server';
export { CHROMIUM, CHROMIUM_ARGS, OFFLINE_NOISE, WEBGPU_ARGS, collectErrors, describedText, launchBrowser, newContext, type LaunchOptions, type PageErrors } from './browser';
export { bundleForPage } from './page-bundle';
export { ROOT, WEB_DIST } from './paths';
export { ReceivedLog, type Received } from './received';
export { useApp, type App, type AppPage, type PageOptions } from './use-app';
export { connectClient, connectSynced, synced, type TestClient } from '../../../sync-server/test/harness/clients';
export { waitFor } from '../../../sync-server/test/harness/wait';
