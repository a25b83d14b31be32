'use strict';
// Logs an org into the Salesforce CLI auth store with the OAuth 2.0 JWT bearer flow, as `sf org login jwt` does, through
// the library sfp reads that store with (@salesforce/core, from the pinned sfp install, found through NODE_PATH):
// sfp 39.2.2 itself only has `sfp org login url`. The key file's path is stored, so the library can sign in again
// when the session expires. Flags as `sf org login jwt` spells them.
const { parseArgs } = require('node:util');
const { AuthInfo } = require('@salesforce/core');

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    'client-id': { type: 'string' },
    'jwt-key-file': { type: 'string' },
    'instance-url': { type: 'string' },
    alias: { type: 'string' },
  },
  strict: true,
});

(async () => {
  for (const required of ['username', 'client-id', 'jwt-key-file', 'instance-url', 'alias']) {
    if (!values[required]) throw new Error(`Missing required flag ${required}`);
  }

  const authInfo = await AuthInfo.create({
    username: values.username,
    oauth2Options: { clientId: values['client-id'], loginUrl: values['instance-url'], privateKeyFile: values['jwt-key-file'] },
  });
  await authInfo.save();
  await authInfo.handleAliasAndDefaultSettings({ alias: values.alias, setDefault: false, setDefaultDevHub: false });
  console.log(`Successfully authorized ${authInfo.getUsername()} with org ID ${authInfo.getFields().orgId}`);
})().catch((error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
});
