// posthog-js in Debian's headless Chromium loads flags from decide-service and reports what
// posthog.isFeatureEnabled / getFeatureFlag return. Prints JSON. Usage: node browser-flags.cjs <page url>
const { launchChromium, DESKTOP_CHROME } = require('./chromium.cjs');

async function main() {
  const [pageUrl] = process.argv.slice(2);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      userAgent: DESKTOP_CHROME,
    });
    const page = await context.newPage();
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.__flags !== undefined, null, { timeout: 20000 });
    console.log(JSON.stringify(await page.evaluate(() => window.__flags)));
  } finally {
    await browser.close();
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
