// The UI's entry: mounts the shell into #root.
import { render } from 'preact';
import './styles.css';
import { AppShell } from './app-shell.tsx';

const root = document.getElementById('root');
if (root !== null) render(<AppShell />, root);
