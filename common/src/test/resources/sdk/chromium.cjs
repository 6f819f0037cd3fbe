// Debian's headless Chromium through playwright-core, as every browser test launches it; NodeScripts puts this file
// next to the script it runs. posthog-js drops events from browsers that look automated, hence the Blink flag.
const { chromium } = require('playwright-core');

const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-blink-features=AutomationControlled'],
  });
}

module.exports = { launchChromium, DESKTOP_CHROME };
