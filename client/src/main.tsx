import { render } from 'solid-js/web';
import { App } from './ui/App.tsx';
import './styles/app.css';

const root = document.getElementById('app');
if (root) render(() => <App />, root);
