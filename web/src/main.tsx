import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { ConfigError, parseWebConfig, type WebConfig } from './config/env';
import './app/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

let config: WebConfig;
try {
  config = parseWebConfig(import.meta.env);
} catch (error) {
  // A bad build setting is shown as one line naming the variable, not as a blank page.
  root.textContent = error instanceof ConfigError ? `This build is misconfigured: ${error.message}` : String(error);
  throw error;
}

createRoot(root).render(
  <StrictMode>
    <App config={config} />
  </StrictMode>,
);
