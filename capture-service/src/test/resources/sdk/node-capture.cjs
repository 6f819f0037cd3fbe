// posthog-node (from the npm registry) sends capture, identify, alias and groupIdentify to capture-service.
// Usage: node node-capture.cjs <host> <token>
const { PostHog } = require('posthog-node');

async function main() {
  const [host, token] = process.argv.slice(2);
  const client = new PostHog(token, { host, flushAt: 1, flushInterval: 0, disableGeoip: false });
  client.on('error', (error) => { console.error('posthog-node error', error); process.exitCode = 1; });
  client.capture({ distinctId: 'node-user-1', event: 'order created', properties: { amount: 42, items: ['a', 'b'] } });
  client.identify({ distinctId: 'node-user-1', properties: { email: 'node-user-1@example.com' } });
  client.alias({ distinctId: 'node-user-1', alias: 'node-alias-1' });
  client.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { plan: 'pro' } });
  await client.shutdown();
}

main().catch((error) => { console.error(error); process.exit(1); });
