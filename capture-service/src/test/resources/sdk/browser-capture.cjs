// posthog-js (from the npm registry) in Debian's headless Chromium, driven by playwright-core: a page view, a click
// (autocapture) and a custom event, sent to capture-service.
// Usage: node browser-capture.cjs <page url>
const { launchChromium, DESKTOP_CHROME } = require('./chromium.cjs');

async function main() {
  const [pageUrl] = process.argv.slice(2);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      userAgent: DESKTOP_CHROME,
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
