// Drives an unmodified OID4VP 1.0 wallet library (@openid4vc/openid4vp, with the `dcql`
// package choosing credentials) against a credstack verifier.
//
// stdin: {"request": "openid4vp://?…", "credential": "<an SD-JWT VC>", "holderPrivateJwk",
//         "tamper": null | "nonce" | "encryption-key" (encrypt to "otherJwk" instead)}
// stdout: {"status": <the response URI's HTTP status>, "body": <its JSON>, "query": <the
//          Credential Query id answered>, "clientId", "signer": <the did URL that signed
//          the request object, if any>} or {"error": "..."}.
//
// The wallet parses and resolves the request — by value (client identifier prefix
// redirect_uri), or by reference: the library fetches the request object from request_uri
// (GET or POST) and has it verified by the callback below, which resolves the signer's
// did:key (Ed25519, the client identifier prefix decentralized_identifier) — runs
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

async function verifyJwt(signer, {compact}) {
  if(signer.method !== 'did' || !signer.didUrl.startsWith('did:key:')) {
    return {verified: false};
  }
  const jwk = didKeyJwk(signer.didUrl);
  const [header, payload, signature] = compact.split('.');
  const verified = verify(null, Buffer.from(`${header}.${payload}`),
    createPublicKey({key: jwk, format: 'jwk'}), Buffer.from(signature, 'base64url'));
  return {verified, signerJwk: jwk};
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
    fetch,
    verifyJwt,
    encryptJwe,
    hash: (data, alg) => new Uint8Array(
      createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
  };
  const client = new Openid4vpClient({callbacks});
  const parsed = client.parseOpenid4vpAuthorizationRequest({
    authorizationRequest: input.request});
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params});
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
    signer: resolved.jar?.signer?.didUrl ?? null, responseMode: submitted.responseMode};
}

let answer;
try {
  answer = await run();
} catch(error) {
  answer = {error: String(error?.message ?? error), detail: String(error?.stack).slice(0, 2000)};
}
process.stdout.write(JSON.stringify(answer));
