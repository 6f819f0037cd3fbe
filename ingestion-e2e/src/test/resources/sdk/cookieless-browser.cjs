// posthog-js with cookieless_mode 'always' in Debian's headless Chromium (playwright-core).
// Usage: node cookieless-browser.cjs visit <page url>   two visitors (two user agents): the first loads the page twice
//                                                       and sends an event that sets plan=pro, the second loads it once
//        node cookieless-browser.cjs flags <page url>   the first visitor again, in a new context (no cookies to carry
//                                                       anything over); prints the flags posthog-js got
const { launchChromium, DESKTOP_CHROME } = require('./chromium.cjs');

const FIRST = DESKTOP_CHROME;
const SECOND = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';

async function open(browser, userAgent, pageUrl) {
  const context = await browser.newContext({ userAgent });
  const page = await context.newPage();
  page.on('console', (message) => console.log('page:', message.text()));
  await load(page, pageUrl);
  return { context, page };
}

async function load(page, pageUrl) {
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.__posthogLoaded === true, null, { timeout: 20000 });
  await page.waitForFunction(() => window.__events.includes('$pageview'), null, { timeout: 20000 });
  await page.waitForTimeout(500);
}

async function main() {
  const [phase, pageUrl] = process.argv.slice(2);
  const browser = await launchChromium();
  try {
    if (phase === 'visit') {
      const first = await open(browser, FIRST, pageUrl);
      await first.page.evaluate(() => window.posthog.capture('upgraded', { $set: { plan: 'pro' } }));
      await first.page.waitForFunction(() => window.__events.includes('upgraded'), null, { timeout: 20000 });
      await first.page.waitForTimeout(500);
      await load(first.page, pageUrl);
      await first.context.close();
      const second = await open(browser, SECOND, pageUrl);
      await second.context.close();
      console.log('visited');
    } else {
      const again = await open(browser, FIRST, pageUrl);
      await again.page.waitForFunction(() => window.__flags !== undefined, null, { timeout: 20000 });
      console.log(JSON.stringify(await again.page.evaluate(() => window.__flags)));
      await again.context.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
