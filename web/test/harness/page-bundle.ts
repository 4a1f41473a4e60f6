import { build } from 'esbuild';

/**
 * Bundles a test's page-side script, with what it imports from the app and shared/, into one
 * classic script for a page's `<script>` tag (or `addScriptTag`).
 */
export async function bundleForPage(entry: string): Promise<string> {
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  return bundle.outputFiles[0]!.text;
}
