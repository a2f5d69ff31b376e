import { render } from 'preact';
import { App } from './App';
import { loadSession } from './lib/session';
import './styles.css';

loadSession();
render(<App />, document.getElementById('app')!);
