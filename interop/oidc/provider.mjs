// An OpenID provider for credstack's campus sign-in tests: panva's oidc-provider (OpenID
// Certified), served on loopback with one confidential client and a few people.
//
//   PORT=… CLIENT_ID=… CLIENT_SECRET=… REDIRECT_URI=… node provider.mjs
//
// It prints "ready <issuer>" once it listens. The sign-in page is a plain form (login name,
// no password: the people below are the only ones); consent is granted at once.
//
// With BACKCHANNEL_LOGOUT_URI set, the client is told to it (OpenID Connect Back-Channel
// Logout 1.0, sid required): a sign-out at /session/end posts a logout token there.
// POST /__test/logout-token with a JSON object of claims returns a logout token for this
// client signed with the provider's key: those claims over a good token's (null removes one).
//
// POST /__test/leave with a login name ends that person's campus account (they graduated):
// the provider no longer signs them in.
//
// For the relying party's refusals, POST /__test/tamper with a body of "nonce", "aud",
// "iss", "expired" or "signature": the next token response's id_token is re-signed with
// that claim made wrong (with the provider's own key, or, for "signature", with another key
// of the same id), as a provider gone wrong or an attacker in the middle would send it.

import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

// Stable subjects, as a campus directory keeps them; affiliation as eduPerson names it.
const PEOPLE = {
  staff1: { sub: 'u-0001', email: 'staff1@uni.example.jp', email_verified: true,
            name: '佐藤 一郎', eduperson_affiliation: ['staff', 'member'] },
  student1: { sub: 'u-0002', email: 'student1@uni.example.jp', email_verified: true,
              name: '鈴木 花子', eduperson_affiliation: ['student', 'member'] },
  student2: { sub: 'u-0003', email: 'student2@uni.example.jp', email_verified: true,
              name: '高橋 次郎', eduperson_affiliation: ['student'] },
};

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signing = { ...(await jose.exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
const other = (await jose.generateKeyPair('RS256', { extractable: true })).privateKey;

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: process.env.REDIRECT_URI.split(' '),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...(process.env.BACKCHANNEL_LOGOUT_URI ? {
      backchannel_logout_uri: process.env.BACKCHANNEL_LOGOUT_URI,
      backchannel_logout_session_required: true } : {}),
  }],
  jwks: { keys: [signing] },
  claims: {
    sid: null,
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    affiliation: ['eduperson_affiliation'],
  },
  scopes: ['openid', 'email', 'profile', 'affiliation'],
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true } },
  cookies: { keys: ['credstack-test-cookies'] },
  // Its back-channel posts go to credstack on loopback, which oidc-provider's guard against
  // server-side request forgery refuses ("special-use IP address"): a test provider only.
  fetch: (url, options) => {
    const { dispatcher, ...rest } = options;
    return globalThis.fetch(url, rest);
  },
  async findAccount(ctx, id) {
    const person = Object.values(PEOPLE).find((p) => p.sub === id);
    if (!person) return undefined;
    return { accountId: id, async claims() { return { ...person }; } };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

let tamper = '';

async function resign(idToken, how) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (how === 'nonce') claims.nonce = 'not-the-nonce-of-this-login';
  if (how === 'aud') claims.aud = 'another-client';
  if (how === 'iss') claims.iss = 'http://127.0.0.1:1/';
  if (how === 'expired') { claims.iat = now - 7200; claims.exp = now - 3600; }
  const key = how === 'signature' ? other : privateKey;
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
    .sign(key);
}

async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/tamper' && ctx.method === 'POST') {
    let text = '';
    for await (const chunk of ctx.req) text += chunk;
    tamper = text.trim();
    ctx.body = { tamper };
    return;
  }
  if (ctx.path === '/__test/logout-token' && ctx.method === 'POST') {
    let text = '';
    for await (const chunk of ctx.req) text += chunk;
    const claims = { iss: issuer, aud: process.env.CLIENT_ID, iat: Math.floor(Date.now() / 1000),
      jti: Math.random().toString(36).slice(2),
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      ...JSON.parse(text) };
    for (const [name, value] of Object.entries(claims)) if (value === null) delete claims[name];
    ctx.body = { logout_token: await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'logout+jwt' }).sign(privateKey) };
    return;
  }
  if (ctx.path === '/__test/leave' && ctx.method === 'POST') {
    let text = '';
    for await (const chunk of ctx.req) text += chunk;
    const left = text.trim();
    const known = left in PEOPLE;
    delete PEOPLE[left];
    ctx.body = { left: known };
    return;
  }
  const interaction = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (interaction) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.prompt.name === 'login' && ctx.method === 'GET') {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><title>Campus sign-in</title></head>
<body><main><h1>Campus sign-in</h1><form method="post" action="/interaction/${esc(details.uid)}">
<label for="login">User name</label><input id="login" name="login" autocomplete="username">
<button type="submit">Sign in</button></form></main></body></html>`;
      return;
    }
    let result;
    if (details.prompt.name === 'login') {
      const person = PEOPLE[(await body(ctx.req)).get('login')];
      result = person ? { login: { accountId: person.sub } }
        : { error: 'access_denied', error_description: 'unknown user' };
    } else {
      const grant = new provider.Grant({ accountId: details.session.accountId,
                                         clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      result = { consent: { grantId: await grant.save() } };
    }
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result,
                                                  { mergeWithLastSubmission: false }));
    return;
  }
  await next();
  if (ctx.path === '/token' && tamper && ctx.body && ctx.body.id_token) {
    const how = tamper;
    tamper = '';
    ctx.body = { ...ctx.body, id_token: await resign(ctx.body.id_token, how) };
  }
});

createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
