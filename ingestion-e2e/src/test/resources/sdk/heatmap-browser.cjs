// posthog-js in Debian's headless Chromium (playwright-core): load the page, wait until the remote configuration has
// switched heatmaps on, click the target and wait for posthog-js to send its $$heatmap event.
// Usage: node heatmap-browser.cjs <page url>
const { launchChromium, DESKTOP_CHROME } = require('./chromium.cjs');

async function main() {
  const [pageUrl] = process.argv.slice(2);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      userAgent: DESKTOP_CHROME,
    });
    const page = await context.newPage();
    page.on('console', (message) => console.log('page:', message.text()));
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.__posthogLoaded === true, null, { timeout: 20000 });
    await page.waitForFunction(() => window.posthog.heatmaps && window.posthog.heatmaps.isEnabled === true, null,
      { timeout: 20000 });
    await page.click('#target');
    // posthog-js sends its buffered points every 5 s while the page is visible.
    await page.waitForFunction(() => window.__events.includes('$$heatmap'), null, { timeout: 30000 });
    await page.waitForTimeout(1000);
    console.log('events sent:', JSON.stringify(await page.evaluate(() => window.__events)));
  } finally {
    await browser.close();
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
