// posthog-js (from the npm registry) in Debian's headless Chromium, driven by playwright-core: a page view, a click
// (autocapture) and a custom event, sent to capture-service.
// Usage: node browser-capture.cjs <page url>
const { chromium } = require('playwright-core');

async function main() {
  const [pageUrl] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // posthog-js drops events from browsers that look automated.
      '--disable-blink-features=AutomationControlled'],
  });
  try {
    const context = await browser.newContext({
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    });
    const page = await context.newPage();
    page.on('console', (message) => console.log('page:', message.text()));
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.__posthogLoaded === true, null, { timeout: 20000 });
    await page.click('#buy');
    await page.evaluate(() => window.posthog.capture('custom event', { plan: 'pro', seats: 3, nested: { a: [1, 2] } }));
    await page.waitForFunction(() => window.__sent >= 3, null, { timeout: 20000 });
    await page.waitForTimeout(1000);
  } finally {
    await browser.close();
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
