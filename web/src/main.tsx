import './zod-jitless';
import { render } from 'preact';
import { App } from './app';
import { keepPinnedResults } from './run/result-budget';
import { askPersistentStorage } from './shell/persistent-storage';
import './style.css';

// Until the run history lands (issue 18: its pinnedCacheKeys()), no cached result is pinned.
keepPinnedResults(() => Promise.resolve(new Set()));
void askPersistentStorage();
render(<App />, document.getElementById('app') as HTMLElement);
