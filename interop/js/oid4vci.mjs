// Drives unmodified OID4VCI wallets' client libraries against a credstack issuer.
//
// stdin: {"client": "sphereon" | "openid4vc" | "digitalbazaar", "offer": "openid-credential-
// offer://?…", "txCode": "123456" | null, "configuration": "<credential configuration id>",
// "holder": {"did", "kid", "privateJwk"}, "proofTamper": null | "aud" | "nonce-replay"}
// stdout: {"credential": <the issued credential>, "configuration"} or {"error": "...",
// "status": <HTTP status>, "body": <the server's error answer>} when the flow was refused.
//
// Each client runs its own pre-authorised code flow: it resolves the offer (by reference),
// reads the issuer metadata, asks the token endpoint, fetches a c_nonce and sends the
// credential request with a jwt key proof the holder key signs (here, with `jose`). Trust in
// the test's CA comes from NODE_EXTRA_CA_CERTS.
//
// The authorisation code flow (@openid4vc/openid4vci, and "sphereonAuthorize" /
// "sphereonRedeem" the same way without codeTamper, and with "push": false not pushing its
// request) has the learner in the middle, so it
// runs in two phases around the test's browser:
// * "openid4vcAuthorize" (also "clientId" of a public client registered by RFC 7591,
//   "redirectUri"): the offer and the issuer's and authorization server's metadata resolved,
//   the authorization request made (PKCE S256, the offer's issuer_state, the configuration's
//   scope, or with "byDetails" authorization_details naming it). stdout: {"authorizationRequestUrl", "session": what phase 2 needs, the code
//   verifier among it}.
// * "openid4vcRedeem" (the same, with "session", "redirectUrl": where the learner's browser
//   was sent, "codeTamper": null | "replay" | "verifier" | "redirect_uri"): the code read
//   from the redirect and redeemed, then the credential as in the pre-authorised flow.
//   stdout: as above, with "authorizationDetails" of the token response, and "replay": the
//   second redemption's error when asked.
// Every request is the library's; the script only carries its state from one phase to the
// next, as a wallet app would across the browser's round trip.
import * as jose from 'jose';
import {createHash, createPrivateKey, randomBytes, sign as cryptoSign} from 'node:crypto';

const input = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => text += chunk);
  process.stdin.on('end', () => resolve(text));
}));
const {holder} = input;
const privateKey = await jose.importJWK(holder.privateJwk, 'EdDSA');

async function sign(header, payload) {
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header).sign(privateKey);
}

function fail(error) {
  const out = {error: String(error?.message ?? error)};
  // Every library wraps the server's answer somewhere: collect what it kept.
  for(let e = error; e; e = e.cause) {
    out.status ??= e.status ?? e.response?.status ?? e.errorResponse?.status;
    out.body ??= e.data ?? e.errorResponse ?? e.response?.errorBody ?? e.errorBody;
    if(e.successBody === undefined && e.response?.body) {
      out.body ??= e.response.body;
    }
  }
  out.detail = String(error?.stack ?? '').slice(0, 2000);
  return out;
}

async function sphereon() {
  const {OpenID4VCIClientV1_0_15} = await import('@sphereon/oid4vci-client');
  const client = await OpenID4VCIClientV1_0_15.fromURI({
    uri: input.offer, kid: holder.kid, alg: 'EdDSA', retrieveServerMetadata: true,
    resolveOfferUri: true});
  await client.acquireAccessToken(input.txCode ? {pin: input.txCode} : {});
  return sphereonCredential(client);
}

async function sphereonCredential(client) {
  const configuration = client.endpointMetadata.credentialIssuerMetadata
    .credential_configurations_supported[input.configuration];
  const response = await client.acquireCredentials({
    credentialConfigurationId: input.configuration, format: configuration.format,
    kid: holder.kid, alg: 'EdDSA',
    proofCallbacks: {signCallback: async (jwt, kid) => sign(
      {...jwt.header, alg: 'EdDSA', kid: kid ?? holder.kid}, jwt.payload)}});
  return response.credentials?.[0]?.credential ?? response.credential;
}

// The authorisation code flow with Sphereon's client, in the same two phases: its
// createAuthorizationRequestUrl (PKCE S256, the offer's issuer_state, the scope), its state
// exported for phase 2, which reads the code from the redirect in acquireAccessToken.
async function sphereonAuthorize() {
  const {OpenID4VCIClientV1_0_15} = await import('@sphereon/oid4vci-client');
  const client = await OpenID4VCIClientV1_0_15.fromURI({
    uri: input.offer, kid: holder.kid, alg: 'EdDSA', retrieveServerMetadata: true,
    resolveOfferUri: true, clientId: input.clientId, createAuthorizationRequestURL: false});
  const {scope} = client.endpointMetadata.credentialIssuerMetadata
    .credential_configurations_supported[input.configuration];
  // Pushed (PAR) when the server advertises it, as the client does by itself; with
  // `push: false`, the plain authorization URL (the client's PARMode.NEVER).
  const {PARMode} = await import('@sphereon/oid4vci-common');
  const authorizationRequestUrl = await client.createAuthorizationRequestUrl({
    authorizationRequest: {
      clientId: input.clientId, redirectUri: input.redirectUri, scope,
      ...(input.push === false ? {parMode: PARMode.NEVER} : {})}});
  return {authorizationRequestUrl, session: await client.exportState()};
}

async function sphereonRedeem() {
  const {OpenID4VCIClientV1_0_15} = await import('@sphereon/oid4vci-client');
  const client = await OpenID4VCIClientV1_0_15.fromState({state: input.session});
  await client.acquireAccessToken({authorizationResponse: input.redirectUrl});
  return sphereonCredential(client);
}

async function openid4vcCallbacks(clientId) {
  const {clientAuthenticationAnonymous, clientAuthenticationNone} =
    await import('@openid4vc/oauth2');
  return {
    fetch,
    hash: (data, alg) => new Uint8Array(
      createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    generateRandom: length => new Uint8Array(randomBytes(length)),
    // A public client (RFC 7591 token_endpoint_auth_method "none") names itself; the
    // pre-authorised flow is anonymous.
    clientAuthentication: clientId
      ? clientAuthenticationNone({clientId}) : clientAuthenticationAnonymous(),
    signJwt: async (signer, {header, payload}) => ({
      jwt: await sign({...header, alg: 'EdDSA', kid: holder.kid}, payload),
      signerJwk: {kty: 'OKP', crv: 'Ed25519', x: holder.privateJwk.x}}),
  };
}

async function openid4vc() {
  const {Openid4vciClient} = await import('@openid4vc/openid4vci');
  const callbacks = await openid4vcCallbacks();
  const client = new Openid4vciClient({callbacks});
  const credentialOffer = await client.resolveCredentialOffer(input.offer);
  const issuerMetadata = await client.resolveIssuerMetadata(
    credentialOffer.credential_issuer);
  if(input.txCode === null && credentialOffer.grants[PRE_AUTHORIZED]?.tx_code) {
    // The wallet library will not send a token request without the transaction code the
    // offer asks for; its OAuth 2.0 client (the same package family) is made to, to see the
    // server's answer.
    const {Oauth2Client} = await import('@openid4vc/oauth2');
    await new Oauth2Client({callbacks}).retrievePreAuthorizedCodeAccessToken({
      authorizationServerMetadata: issuerMetadata.authorizationServers[0],
      preAuthorizedCode: credentialOffer.grants[PRE_AUTHORIZED]['pre-authorized_code']});
  }
  const {accessTokenResponse} = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer, issuerMetadata, txCode: input.txCode ?? undefined});
  return openid4vcCredential(client, issuerMetadata, accessTokenResponse.access_token);
}

// The credential request both flows end with: a c_nonce, a jwt proof of the holder key, the
// credential endpoint.
async function openid4vcCredential(client, issuerMetadata, accessToken) {
  const {c_nonce: nonce} = await client.requestNonce({issuerMetadata});
  const {jwt} = await client.createCredentialRequestJwtProof({
    issuerMetadata, credentialConfigurationId: input.configuration, nonce,
    signer: {method: 'did', didUrl: holder.kid, alg: 'EdDSA'}});
  const proof = input.proofTamper === 'aud'
    ? await sign({typ: 'openid4vci-proof+jwt', alg: 'EdDSA', kid: holder.kid},
      {aud: 'https://elsewhere.example', iat: Math.floor(Date.now() / 1000), nonce})
    : jwt;
  const first = await client.retrieveCredentials({
    issuerMetadata, accessToken,
    credentialConfigurationId: input.configuration, proofs: {jwt: [proof]}});
  if(input.proofTamper === 'nonce-replay') {
    await client.retrieveCredentials({
      issuerMetadata, accessToken,
      credentialConfigurationId: input.configuration, proofs: {jwt: [proof]}});
  }
  if(!first.credentialResponse) {
    throw Object.assign(new Error('credential request refused'), {
      status: first.response?.status, data: first.credentialErrorResponseResult?.data});
  }
  return first.credentialResponse.credentials?.[0]?.credential;
}

// The authorisation code flow, phase 1 (the wallet before the learner's browser): the offer
// and both metadata documents resolved, then the authorization request — PKCE S256, the
// offer's issuer_state, the configuration's scope — made by the library, which pushes it
// first when the server advertises PAR. Returns the URL to open and what phase 2 needs.
async function openid4vcAuthorize() {
  const {Openid4vciClient} = await import('@openid4vc/openid4vci');
  const client = new Openid4vciClient({callbacks: await openid4vcCallbacks(input.clientId)});
  const credentialOffer = await client.resolveCredentialOffer(input.offer);
  const issuerMetadata = await client.resolveIssuerMetadata(
    credentialOffer.credential_issuer);
  const {scope} = issuerMetadata.credentialIssuer
    .credential_configurations_supported[input.configuration];
  // The credential asked for by its scope, or (`byDetails`) by RFC 9396
  // authorization_details of type openid_credential.
  const asked = input.byDetails ? {additionalRequestPayload: {authorization_details: [
    {type: 'openid_credential', credential_configuration_id: input.configuration}]}}
    : {scope};
  const authorization = await client.initiateAuthorization({
    credentialOffer, issuerMetadata, clientId: input.clientId,
    redirectUri: input.redirectUri, ...asked});
  return {
    authorizationRequestUrl: authorization.authorizationRequestUrl,
    session: {credentialOffer, issuerMetadata, codeVerifier: authorization.pkce?.codeVerifier}};
}

// Phase 2 (the wallet once the browser is back at its redirect URI): the library reads the
// code from the redirect, redeems it with the code verifier, and asks for the credential.
// `codeTamper`: "replay" redeems the code a second time (the error kept as `replay`) before
// the credential is asked with the first token; "verifier" and "redirect_uri" redeem it with
// another code verifier or redirect URI than the authorization request's.
async function openid4vcRedeem() {
  const {Openid4vciClient} = await import('@openid4vc/openid4vci');
  const client = new Openid4vciClient({callbacks: await openid4vcCallbacks(input.clientId)});
  const {credentialOffer, issuerMetadata, codeVerifier} = input.session;
  const {code} = client.parseAndVerifyAuthorizationResponseRedirectUrl({
    url: input.redirectUrl,
    authorizationServerMetadata: issuerMetadata.authorizationServers[0]});
  const tamper = input.codeTamper;
  const redeem = () => client.retrieveAuthorizationCodeAccessTokenFromOffer({
    credentialOffer, issuerMetadata, authorizationCode: code,
    pkceCodeVerifier: tamper === 'verifier'
      ? Buffer.from(randomBytes(48)).toString('base64url') : codeVerifier,
    redirectUri: tamper === 'redirect_uri' ? `${input.redirectUri}/elsewhere`
      : input.redirectUri});
  const {accessTokenResponse} = await redeem();
  extra.authorizationDetails = accessTokenResponse.authorization_details;
  if(tamper === 'replay') {
    extra.replay = await redeem().then(() => ({}), fail);
  }
  return openid4vcCredential(client, issuerMetadata, accessTokenResponse.access_token);
}

async function digitalbazaar() {
  const {OID4Client, getCredentialOffer} = await import('@digitalbazaar/oid4-client');
  const offer = await getCredentialOffer({url: input.offer});
  const client = await OID4Client.fromCredentialOffer({
    offer, supportedFormats: [input.format ?? 'ldp_vc']});
  const {nonce} = await client.getNonce();
  const keyObject = createPrivateKey({key: holder.privateJwk, format: 'jwk'});
  const didProofSigner = {
    id: holder.kid, algorithm: 'Ed25519',
    sign: async ({data}) => new Uint8Array(cryptoSign(null, data, keyObject))};
  const result = await client.requestCredentials({
    did: holder.did, didProofSigner, nonce, format: input.format ?? 'ldp_vc'});
  return result.credential ?? result.credentials?.[0];
}

const PRE_AUTHORIZED = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const clients = {sphereon, openid4vc, digitalbazaar, openid4vcAuthorize, openid4vcRedeem,
  sphereonAuthorize, sphereonRedeem};
// What a flow reports beside its credential or error.
const extra = {};
let answer;
try {
  const made = await clients[input.client]();
  answer = input.client.endsWith('Authorize') ? made
    : {credential: made, configuration: input.configuration};
} catch(error) {
  answer = fail(error);
}
Object.assign(answer, extra);
process.stdout.write(JSON.stringify(answer));
