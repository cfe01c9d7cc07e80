// A real OpenID Connect provider for the single sign-on tests (`it::single_sign_on`):
// panva's `oidc-provider` from npm (certified by the OpenID Foundation), on loopback, with its
// development login and consent forms (any password). Nothing of the protocol is imitated.
//
// node oidc_provider.mjs <oidc-provider package dir> <redirect uri> <accounts file>
//
// The accounts file (JSON: login name -> claims) is read at every look-up, so a test can change
// a user's groups between two sign-ins. Prints one line, {"issuer": "http://127.0.0.1:PORT"},
// once it listens.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pkg, redirectUri, accountsFile] = process.argv.slice(2);
const { default: Provider } = await import(pathToFileURL(join(pkg, 'lib/index.js')).href);

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'baken',
    client_secret: 'geheim-voor-de-tests',
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    baken: ['groups', 'organisation'],
  },
  findAccount: async (_ctx, id) => {
    const accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  cookies: { keys: ['baken-test-cookies'] },
  features: { devInteractions: { enabled: true } },
});
server.on('request', provider.callback());
console.log(JSON.stringify({ issuer }));
