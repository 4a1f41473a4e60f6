import { afterAll, beforeAll } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../../sync-server/test/harness/fake-anthropic';
import { useApp, type App } from './use-app';

/**
 * The app with its chat on a local fake of the Anthropic Messages API, started before the
 * file's tests (ahead of the server that is pointed at it) and stopped after them.
 */
export function useAppWithFakeChat(key = 'sk-ant-e2e'): { app: App; readonly fake: FakeAnthropic } {
  let fake: FakeAnthropic | undefined;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => {
    await fake?.close();
  });
  const app = useApp(() => ({ ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: started().url }));
  function started(): FakeAnthropic {
    if (!fake) throw new Error('the fake Anthropic API is started in beforeAll: use it inside a test');
    return fake;
  }
  return {
    app,
    get fake() {
      return started();
    },
  };
}
