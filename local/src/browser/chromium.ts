/**
 * How the browser tests and the game days launch Debian's Chromium through playwright-core: headless, as root, and
 * offline — the flags keep it from calling home (ADR 0014). Pass to `chromium.launch(chromiumLaunchOptions())`.
 */

const CHROMIUM_ARGS: readonly string[] = [
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
