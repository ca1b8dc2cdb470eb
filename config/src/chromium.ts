/**
 * How every part launches Chromium through playwright-core — the browser tests, the game days, the smoke runs and the
 * diagram renderer: headless, as root, and offline; the flags keep it from calling home (ADR 0014). One definition,
 * in config because it is the one module every part may import. Pass to `chromium.launch(chromiumLaunchOptions())`.
 * CHROMIUM_PATH names another Chromium-based browser (GitHub's runners ship Google Chrome).
 */

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumLaunchOptions(env: NodeJS.ProcessEnv = process.env): {
  executablePath: string;
  args: string[];
} {
  return { executablePath: env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS] };
}
