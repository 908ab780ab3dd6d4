// Drives an unmodified OID4VP 1.0 wallet library (@openid4vc/openid4vp, with the `dcql`
// package choosing credentials) against a credstack verifier.
//
// stdin: {"request": "openid4vp://?…", "credential": "<an SD-JWT VC>", "holderPrivateJwk",
//         "tamper": null | "nonce" | "encryption-key" (encrypt to "otherJwk" instead),
//         "walletMetadata": {…} | null, "walletNonce": "…" | null (the wallet's metadata and
//         the wallet_nonce it expects back), "postAsSpecified": false | true,
//         "sentNonce": "…" (posted instead of walletNonce, to see a mismatch refused)}
// stdout: {"status": <the response URI's HTTP status>, "body": <its JSON>, "query": <the
//          Credential Query id answered>, "clientId", "signer": <the did URL that signed
//          the request object, if any>, "requestUri": {"method", "sent", "status", "body"}}
//         or {"error": "...", "requestUri": …}.
//
// Wallet metadata and nonce (OID4VP 1.0 §5.10): the library takes them as
// `wallet: {metadata, expectedNonce}` and checks that the request object carries
// `wallet_nonce` equal to expectedNonce (and none when it has none). Version 0.4.6 posts to
// the request_uri the *members* of the metadata as form fields, and no wallet_nonce
// (fetchJarRequestObject builds {wallet_metadata, wallet_nonce} from `wallet.nonce`, which its
// options call expectedNonce, and then sends `wallet.metadata` instead). With
// "postAsSpecified" the fetch callback below sends the form §5.10 defines —
// wallet_metadata=<JSON>&wallet_nonce=<nonce> — in place of the library's body; without it
// the library's own body goes out unchanged. Either way "requestUri" reports what was sent
// and what the request_uri answered.
//
// The wallet parses and resolves the request — by value (client identifier prefix
// redirect_uri), or by reference: the library fetches the request object from request_uri
// (GET or POST) and has it verified by the callback below, which resolves the signer's
// did:key (Ed25519) or did:web (its DID document fetched over HTTPS; Ed25519 or P-256
// Multikey or JWK methods), the client identifier prefix decentralized_identifier — runs
// the DCQL query over what it holds, presents the SD-JWT with a key binding JWT for the
// request's client_id and nonce (@sd-jwt/core, the holder key), and submits the response by
// direct_post, or encrypted to the key of the request's client_metadata.jwks by
// direct_post.jwt (the library's JARM path, jose encrypting). Trust in the test's CA comes
// from NODE_EXTRA_CA_CERTS.
import {createHash} from 'node:crypto';
import {Openid4vpClient} from '@openid4vc/openid4vp';
import {DcqlQuery} from 'dcql';
import {CompactEncrypt, importJWK} from 'jose';
import {SDJwtInstance} from '@sd-jwt/core';
import {digest, generateSalt} from '@sd-jwt/crypto-nodejs';
import {createPrivateKey, createPublicKey, sign, verify} from 'node:crypto';

const input = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => text += chunk);
  process.stdin.on('end', () => resolve(text));
}));

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(text) {
  let value = 0n;
  for(const char of text) {
    const digit = BASE58.indexOf(char);
    if(digit < 0) {
      throw new Error(`not base58: ${char}`);
    }
    value = value * 58n + BigInt(digit);
  }
  const bytes = [];
  for(; value > 0n; value >>= 8n) {
    bytes.unshift(Number(value & 0xffn));
  }
  for(const char of text) {
    if(char !== '1') {
      break;
    }
    bytes.unshift(0);
  }
  return Buffer.from(bytes);
}

// An Ed25519 did:key (multicodec 0xed01) as a public JWK.
function didKeyJwk(didUrl) {
  const [did] = didUrl.split('#');
  const multibase = did.replace(/^did:key:/, '');
  const raw = base58(multibase.slice(1));
  if(multibase[0] !== 'z' || raw[0] !== 0xed || raw[1] !== 0x01 || raw.length !== 34) {
    throw new Error(`${did} is not an Ed25519 did:key`);
  }
  return {kty: 'OKP', crv: 'Ed25519', x: raw.subarray(2).toString('base64url')};
}

// did:web Method Specification §2.5.2: did:web:<host>[%3A<port>][:<path>…] → its document.
function didWebDocumentUrl(did) {
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  return path.length ? `https://${host}/${path.join('/')}/did.json`
    : `https://${host}/.well-known/did.json`;
}

// A P-256 public key from its compressed point (SEC 1), as SubjectPublicKeyInfo DER.
const P256_SPKI = Buffer.from(
  '3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');

function methodKey(method) {
  if(method.publicKeyJwk) {
    return createPublicKey({key: method.publicKeyJwk, format: 'jwk'});
  }
  const multibase = method.publicKeyMultibase ?? '';
  const raw = base58(multibase.slice(1));
  if(multibase[0] === 'z' && raw[0] === 0xed && raw[1] === 0x01 && raw.length === 34) {
    return createPublicKey({key: {kty: 'OKP', crv: 'Ed25519',
      x: raw.subarray(2).toString('base64url')}, format: 'jwk'});
  }
  if(multibase[0] === 'z' && raw[0] === 0x80 && raw[1] === 0x24 && raw.length === 35) {
    return createPublicKey({key: Buffer.concat([P256_SPKI, raw.subarray(2)]),
      format: 'der', type: 'spki'});
  }
  throw new Error(`${method.id}: not an Ed25519 or P-256 key`);
}

// The key of a did:web verification method: the document fetched from the DID's HTTPS URL
// (trusting the test's CA through NODE_EXTRA_CA_CERTS) must be the DID's, list the method
// under verificationMethod (OID4VP 1.0 §5.9.3) and have the DID control it.
async function didWebKey(didUrl) {
  const [did] = didUrl.split('#');
  const response = await fetch(didWebDocumentUrl(did), {redirect: 'error'});
  if(!response.ok) {
    throw new Error(`the DID document of ${did} answered HTTP ${response.status}`);
  }
  const document = await response.json();
  if(document.id !== did) {
    throw new Error(`the DID document of ${did} is ${document.id}'s`);
  }
  const method = (document.verificationMethod ?? []).find(
    item => item.id === didUrl || `${did}${item.id}` === didUrl);
  if(!method || (method.controller ?? did) !== did) {
    throw new Error(`the DID document of ${did} lists no method ${didUrl} it controls`);
  }
  return methodKey(method);
}

async function verifyJwt(signer, {compact}) {
  if(signer.method !== 'did') {
    return {verified: false};
  }
  let key;
  if(signer.didUrl.startsWith('did:key:')) {
    key = createPublicKey({key: didKeyJwk(signer.didUrl), format: 'jwk'});
  } else if(signer.didUrl.startsWith('did:web:')) {
    key = await didWebKey(signer.didUrl);
  } else {
    return {verified: false};
  }
  const [header, payload, signature] = compact.split('.');
  const alg = JSON.parse(Buffer.from(header, 'base64url')).alg;
  const expected = key.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'ES256';
  const verified = alg === expected && verify(alg === 'ES256' ? 'sha256' : null,
    Buffer.from(`${header}.${payload}`), {key, dsaEncoding: 'ieee-p1363'},
    Buffer.from(signature, 'base64url'));
  return {verified, signerJwk: key.export({format: 'jwk'})};
}

// What went to the request_uri and what it answered (see the header).
const requestUri = {};

async function walletFetch(url, init = {}) {
  const target = String(url);
  const parsedRequest = new URLSearchParams(new URL(input.request).search);
  if(target !== parsedRequest.get('request_uri')) {
    return fetch(url, init);
  }
  requestUri.method = init.method ?? 'GET';
  requestUri.sent = init.body ? String(init.body) : '';
  if(input.postAsSpecified && requestUri.method.toUpperCase() === 'POST') {
    const form = new URLSearchParams();
    if(input.walletMetadata) {
      form.set('wallet_metadata', JSON.stringify(input.walletMetadata));
    }
    const nonce = input.sentNonce ?? input.walletNonce;
    if(nonce) {
      form.set('wallet_nonce', nonce);
    }
    init = {...init, body: form};
    requestUri.sent = form.toString();
  }
  const response = await fetch(url, init);
  requestUri.status = response.status;
  if(!response.ok) {
    requestUri.body = await response.clone().json().catch(() => null);
  }
  return response;
}

// direct_post.jwt: the response encrypted to the verifier's key (jose, ECDH-ES with the
// apu/apv the library chose).
async function encryptJwe(encryptor, plaintext) {
  const {publicJwk, alg, enc, apu, apv} = encryptor;
  const key = await importJWK(
    input.tamper === 'encryption-key' ? input.otherJwk : publicJwk, alg);
  const header = {alg, enc, ...(publicJwk.kid ? {kid: publicJwk.kid} : {})};
  const parameters = {};
  if(apu) {
    parameters.apu = Buffer.from(apu, 'base64url');
  }
  if(apv) {
    parameters.apv = Buffer.from(apv, 'base64url');
  }
  const jwe = await new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader(header).setKeyManagementParameters(parameters).encrypt(key);
  return {encryptionJwk: publicJwk, jwe};
}

async function run() {
  const callbacks = {
    fetch: walletFetch,
    verifyJwt,
    encryptJwe,
    hash: (data, alg) => new Uint8Array(
      createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
  };
  const client = new Openid4vpClient({callbacks});
  const parsed = client.parseOpenid4vpAuthorizationRequest({
    authorizationRequest: input.request});
  const wallet = input.walletMetadata || input.walletNonce
    ? {metadata: input.walletMetadata ?? undefined,
      expectedNonce: input.walletNonce ?? undefined}
    : undefined;
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params, wallet});
  const request = resolved.authorizationRequestPayload;
  const query = DcqlQuery.parse(resolved.dcql.query);
  DcqlQuery.validate(query);

  const key = createPrivateKey({key: input.holderPrivateJwk, format: 'jwk'});
  const sdjwt = new SDJwtInstance({
    hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt,
    kbSigner: async data => Buffer.from(sign(null, Buffer.from(data), key))
      .toString('base64url'),
    kbSignAlg: 'EdDSA'});
  const decoded = await sdjwt.decode(input.credential);
  const claims = await decoded.getClaims(digest);
  const held = [{credential_format: 'dc+sd-jwt', vct: claims.vct, claims,
    cryptographic_holder_binding: true}];
  const result = DcqlQuery.query(query, held);
  if(!result.can_be_satisfied) {
    return {error: 'the wallet holds nothing that answers the query', result};
  }
  const [id] = Object.entries(result.credential_matches)
    .find(([, match]) => match.success);
  const presented = await sdjwt.present(input.credential, undefined, {kb: {payload: {
    iat: Math.floor(Date.now() / 1000), aud: request.client_id,
    nonce: input.tamper === 'nonce' ? 'not-the-nonce' : request.nonce}}});
  const encrypted = request.response_mode === 'direct_post.jwt';
  const jarm = encrypted ? {encryption: {}, serverMetadata: {
    authorization_encryption_alg_values_supported: ['ECDH-ES'],
    authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM']}} : undefined;
  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: {vp_token: {[id]: [presented]}}, jarm});
  const submitted = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: response.authorizationResponsePayload,
    jarm: response.jarm});
  const text = await submitted.response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return {status: submitted.response.status, body, query: id, clientId: request.client_id,
    signer: resolved.jar?.signer?.didUrl ?? null, responseMode: submitted.responseMode,
    walletNonce: request.wallet_nonce ?? null, requestUri};
}

let answer;
try {
  answer = await run();
} catch(error) {
  answer = {error: String(error?.message ?? error), detail: String(error?.stack).slice(0, 2000),
    requestUri};
}
process.stdout.write(JSON.stringify(answer));
