#!/usr/bin/env node
// Secure and verify W3C credentials with outside JOSE, SD-JWT VC and COSE libraries, for
// credstack's interoperability tests of "Securing Verifiable Credentials using JOSE and COSE"
// (W3C Recommendation, 15 May 2025):
//
//   * `jose` (panva) for application/vc+jwt: CompactSign to issue, jwtVerify (with the typ
//     required) to verify;
//   * `@sd-jwt/sd-jwt-vc` (OpenWallet Foundation, SDJwtVcInstance) for application/vc+sd-jwt
//     and dc+sd-jwt: issue, present (fewer disclosures, key binding), verify;
//   * `@auth0/cose` (the maintained successor of cose-kit) for application/vc+cose:
//     Sign1.sign to issue, Sign1.decode + verify to verify.
//
//   node jose-cose.mjs < request.json
//
// A request is one JSON object, or a JSON array of them (answered by an array, in order):
//
//   {"action": "jwt-sign", "credential": {...}, "alg": "ES256", "kid": "…", "privateJwk": {...}}
//                                                     → {"token": "<compact JWS>"}
//   {"action": "jwt-verify", "token": "…", "publicJwk": {...}, "typ": "vp+jwt" | null}
//                                                     → {"verified": true, "payload", "header"}
//                                                     (typ required: vc+jwt unless given)
//   {"action": "sd-jwt-issue", "payload": {...}, "disclosureFrame": {...}, "typ": "vc+sd-jwt",
//    "alg": "EdDSA", "kid": "…", "privateJwk": {...}}  → {"token": "<SD-JWT>"}
//   {"action": "sd-jwt-present", "token": "…", "presentationFrame": {...} | null,
//    "holderPrivateJwk": {...}, "aud": "…", "nonce": "…", "iat": 1780000000}
//                                                     → {"token": "<SD-JWT+KB>"}
//   {"action": "sd-jwt-verify", "token": "…", "publicJwk": {...}, "holderPublicJwk": {...} | null,
//    "nonce": "…" | null}                             → {"verified": true, "payload", "header",
//                                                        "keyBinding"}
//   {"action": "cose-sign", "credential": {...}, "alg": "ES384", "kid": "…", "privateJwk": {...}}
//                                                     → {"cose": "<COSE_Sign1, base64>"}
//   {"action": "cose-verify", "cose": "<base64>", "publicJwk": {...}}
//                                                     → {"verified": true, "payload",
//                                                        "alg", "kid", "typ", "contentType"}
//
// A refusal is {"verified": false, "error": "<why not>"}. Keys are JWKs (Ed25519, P-256, P-384,
// P-521); nothing is fetched.

import {createPrivateKey, createPublicKey, sign, verify as verifySignature} from 'node:crypto';
import {pathToFileURL} from 'node:url';

import {Algorithms, Sign1} from '@auth0/cose';
import {digest, generateSalt} from '@sd-jwt/crypto-nodejs';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {CompactSign, importJWK, jwtVerify} from 'jose';

const HASHES = {EdDSA: null, ES256: 'sha256', ES384: 'sha384', ES512: 'sha512'};
const COSE_TYP = 16;
const COSE_CONTENT_TYPE = 3;
const COSE_KID = 4;

function algorithmOf(jwk) {
  if(jwk.kty === 'OKP') {
    return 'EdDSA';
  }
  return {'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512'}[jwk.crv];
}

// A JWS signature over `data` (r || s for ECDSA), with Node's crypto: SD-JWT's signer.
function signer(privateJwk) {
  const key = createPrivateKey({key: privateJwk, format: 'jwk'});
  const hash = HASHES[algorithmOf(privateJwk)];
  return async data => Buffer.from(sign(hash, Buffer.from(data),
    {key, dsaEncoding: 'ieee-p1363'})).toString('base64url');
}

function verifier(publicJwk) {
  const key = createPublicKey({key: publicJwk, format: 'jwk'});
  const hash = HASHES[algorithmOf(publicJwk)];
  return async (data, signature) => verifySignature(
    hash, Buffer.from(data), {key, dsaEncoding: 'ieee-p1363'},
    Buffer.from(signature, 'base64url'));
}

function sdJwtVc({privateJwk, publicJwk, holderPrivateJwk, holderPublicJwk}) {
  return new SDJwtVcInstance({
    hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt,
    ...(privateJwk ? {signer: signer(privateJwk), signAlg: algorithmOf(privateJwk)} : {}),
    ...(publicJwk ? {verifier: verifier(publicJwk)} : {}),
    ...(holderPrivateJwk ? {kbSigner: signer(holderPrivateJwk),
                            kbSignAlg: algorithmOf(holderPrivateJwk)} : {}),
    ...(holderPublicJwk ? {kbVerifier: verifier(holderPublicJwk)} : {}),
  });
}

function refusal(error) {
  return {verified: false, error: String(error && error.message || error)};
}

const text = value => typeof value === 'string' ? value
  : value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value;

export async function handle(request) {
  const {action} = request;
  if(action === 'jwt-sign') {
    const key = await importJWK(request.privateJwk, request.alg);
    const token = await new CompactSign(
      new TextEncoder().encode(JSON.stringify(request.credential)))
      .setProtectedHeader({alg: request.alg, kid: request.kid, typ: 'vc+jwt', cty: 'vc'})
      .sign(key);
    return {token};
  }
  if(action === 'jwt-verify') {
    try {
      const key = await importJWK(request.publicJwk, algorithmOf(request.publicJwk));
      const {payload, protectedHeader} = await jwtVerify(request.token, key,
                                                         {typ: request.typ || 'vc+jwt'});
      return {verified: true, payload, header: protectedHeader};
    } catch(error) {
      return refusal(error);
    }
  }
  if(action === 'sd-jwt-issue') {
    const token = await sdJwtVc(request).issue(
      request.payload, request.disclosureFrame || undefined,
      {header: {typ: request.typ || 'vc+sd-jwt', kid: request.kid}});
    return {token};
  }
  if(action === 'sd-jwt-present') {
    const kb = request.holderPrivateJwk ? {kb: {payload: {
      iat: request.iat, aud: request.aud, nonce: request.nonce}}} : {};
    const token = await sdJwtVc(request).present(
      request.token, request.presentationFrame || undefined, kb);
    return {token};
  }
  if(action === 'sd-jwt-verify') {
    try {
      const options = request.nonce ? {keyBindingNonce: request.nonce} : {};
      const result = await sdJwtVc(request).verify(request.token, options);
      return {verified: true, payload: result.payload, header: result.header,
              keyBinding: result.kb ? result.kb.payload : null};
    } catch(error) {
      return refusal(error);
    }
  }
  if(action === 'cose-sign') {
    const key = createPrivateKey({key: request.privateJwk, format: 'jwk'});
    const message = await Sign1.sign(
      new Map([[1, Algorithms[request.alg]], [COSE_KID, new TextEncoder().encode(request.kid)],
               [COSE_TYP, 'application/vc+cose'], [COSE_CONTENT_TYPE, 'application/vc']]),
      new Map(), new TextEncoder().encode(JSON.stringify(request.credential)), key);
    return {cose: message.encode().toString('base64')};
  }
  if(action === 'cose-verify') {
    try {
      const message = Sign1.decode(Buffer.from(request.cose, 'base64'));
      await message.verify(createPublicKey({key: request.publicJwk, format: 'jwk'}));
      const headers = message.protectedHeaders;
      return {verified: true, payload: JSON.parse(Buffer.from(message.payload).toString('utf8')),
              alg: message.algName, kid: text(message.kid), typ: text(headers.get(COSE_TYP)),
              contentType: text(headers.get(COSE_CONTENT_TYPE))};
    } catch(error) {
      return refusal(error);
    }
  }
  throw new Error(`unknown action ${action}`);
}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) {
    input += chunk;
  }
  const parsed = JSON.parse(input);
  const requests = Array.isArray(parsed) ? parsed : [parsed];
  const answers = [];
  for(const request of requests) {
    answers.push(await handle(request));
  }
  process.stdout.write(JSON.stringify(Array.isArray(parsed) ? answers : answers[0]) + '\n');
}

if(import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
