import './zod-jitless';
import { render } from 'preact';
import { App } from './app';
import { keepPinnedResults } from './run/result-budget';
import { pinnedCacheKeys } from './run/run-history';
import { askPersistentStorage } from './shell/persistent-storage';
import './style.css';

// Outputs of the runs in the run histories this browser holds stay cached while their run does.
keepPinnedResults(pinnedCacheKeys);
void askPersistentStorage();
render(<App />, document.getElementById('app') as HTMLElement);
