// posthog-node's local evaluation of every flag of a project for many people: the SDK's own answer, or null where
// the SDK cannot decide locally (it would ask the server). Prints one JSON array, one object per case: flag key ->
// value (true, false or a variant key) or null.
// Usage: node node-local-matrix.cjs <host> <token> <personal api key> <input.json: {flags: [key], cases: [{distinctId, personProperties}]}>
const fs = require('fs');
const { PostHog } = require('posthog-node');

async function main() {
  const [host, token, personalApiKey, casesFile] = process.argv.slice(2);
  const { flags, cases } = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  const client = new PostHog(token, {
    host,
    personalApiKey,
    featureFlagsPollingInterval: 600000,
    flushAt: 10000,
    flushInterval: 600000,
    sendFeatureFlagEvent: false,
  });
  client.on('error', (error) => console.error('posthog-node error', String(error)));
  await client.reloadFeatureFlags();
  const results = [];
  for (const c of cases) {
    const answers = {};
    for (const key of flags) {
      const value = await client.getFeatureFlag(key, c.distinctId, {
        personProperties: c.personProperties,
        onlyEvaluateLocally: true,
        sendFeatureFlagEvents: false,
      });
      answers[key] = value === undefined ? null : value;
    }
    results.push(answers);
  }
  console.log(JSON.stringify(results));
  await client.shutdown();
}

main().catch((error) => { console.error(error); process.exit(1); });
