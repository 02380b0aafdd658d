// Debian's Chromium driven by playwright-core for the UI's browser tests:
// /usr/bin/chromium (installed by scripts/ensure-deps.sh --browser; Playwright
// never downloads a browser), headless, with the network Chromium would open
// by itself turned off, and a fresh profile per launch, removed on close.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: run 'bash scripts/ensure-deps.sh --browser' (as root it installs Debian's chromium)`);
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'capstan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: chromiumFlags,
    viewport: options.viewport ?? { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context, page,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
