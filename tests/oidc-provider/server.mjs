// A real OpenID Connect provider (panva/oidc-provider, OpenID certified) for hallbar's tests.
//
// Started by hallbar/organisations/tests/oidc_provider.py as a separate process:
//   node server.mjs <config.json>
// The configuration names the port, the registered clients, the people who can log in (with
// their claims and the authentication level, acr, their login gets) and, per client, a shorter
// ID-token lifetime and a delay of the token endpoint's answer (to make an expired ID token).
// It prints "listening <issuer>" once it serves its discovery document.
//
// Logging in: the interaction page asks for a user name and a password; any password is
// accepted for a known user name (these are test people). Consent is granted without asking
// (hallbar is a first-party client of the region's or the broker's identity provider).
import { readFileSync } from 'node:fs';
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts || {};
const idTokenTtl = config.id_token_ttl || {};
const tokenDelayMs = config.token_delay_ms || {};

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: [jwk] },
  cookies: { keys: ['hallbar-test-provider-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'hsa_id'],
  },
  acrValues: config.acr_values || [],
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of the test provider?', `${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
    },
  },
  ttl: {
    IdToken: (ctx, token, client) => idTokenTtl[client.clientId] || 3600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(uid, error) {
  return page('Log in to the test provider', `${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">User name</label> <input id="login" name="login" autofocus>
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>`);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) {
    await next();
    // The token endpoint answers late for some clients: their short-lived ID token has
    // expired by the time the relying party reads it.
    const delay = ctx.oidc?.route === 'token' && tokenDelayMs[ctx.oidc.client?.clientId];
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    return;
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (!match[2]) {
    ctx.type = 'html';
    ctx.body = loginForm(details.uid);
    return;
  }
  const form = await readForm(ctx.req);
  const accountId = form.get('login') || '';
  const account = accounts[accountId];
  if (!account) {
    ctx.type = 'html';
    ctx.body = loginForm(details.uid, 'Unknown user name.');
    return;
  }
  const login = { accountId };
  if (account.acr) login.acr = account.acr;
  const redirectTo = await provider.interactionResult(ctx.req, ctx.res, { login }, {
    mergeWithLastSubmission: false,
  });
  ctx.redirect(redirectTo);
});

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
