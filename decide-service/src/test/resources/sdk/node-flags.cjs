// posthog-node evaluates flags for many users, remotely (/flags/?v=2) or locally (definitions from
// /flags/definitions with a personal API key). Prints one JSON object: distinct id -> {enabled, variant, payload}.
// Usage: node node-flags.cjs <host> <token> <remote|local> <personal api key> <users>
const { PostHog } = require('posthog-node');

async function main() {
  const [host, token, mode, personalApiKey, users] = process.argv.slice(2);
  const local = mode === 'local';
  const client = new PostHog(token, {
    host,
    personalApiKey: local ? personalApiKey : undefined,
    featureFlagsPollingInterval: 600000,
    flushAt: 10000,
    flushInterval: 600000,
    sendFeatureFlagEvent: false,
  });
  client.on('error', (error) => console.error('posthog-node error', String(error)));
  if (local) {
    await client.reloadFeatureFlags();
  }
  const results = {};
  for (let i = 0; i < Number(users); i++) {
    const distinctId = `sdk-user-${i}`;
    const options = {
      personProperties: { plan: i % 3 === 0 ? 'pro' : 'free', email: `u${i}@${i % 2 ? 'corp.com' : 'gmail.com'}` },
      onlyEvaluateLocally: local,
      sendFeatureFlagEvents: false,
    };
    results[distinctId] = {
      rollout: await client.isFeatureEnabled('rollout-flag', distinctId, options),
      property: await client.isFeatureEnabled('pro-flag', distinctId, options),
      variant: await client.getFeatureFlag('mv-flag', distinctId, options),
      payload: await client.getFeatureFlagPayload('mv-flag', distinctId, undefined, options),
    };
  }
  console.log(JSON.stringify(results));
  await client.shutdown();
}

main().catch((error) => { console.error(error); process.exit(1); });
