// posthog-js in Debian's headless Chromium loads flags from decide-service and reports what
// posthog.isFeatureEnabled / getFeatureFlag return. Prints JSON. Usage: node browser-flags.cjs <page url>
const { chromium } = require('playwright-core');

async function main() {
  const [pageUrl] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-blink-features=AutomationControlled'],
  });
  try {
    const context = await browser.newContext({
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
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
