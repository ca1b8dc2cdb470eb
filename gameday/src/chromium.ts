/** Debian's Chromium driven by playwright-core, launched as the browser test launches it (`@innovate/local`'s flags). */
import { chromiumLaunchOptions } from '@innovate/config/chromium';
import { type Browser, chromium } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}
