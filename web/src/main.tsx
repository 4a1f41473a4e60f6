import { render } from 'preact';
import { App } from './app';
import { resumeUnsentRooms } from './documents/rooms';
import './style.css';

render(<App />, document.getElementById('app') as HTMLElement);
resumeUnsentRooms();
