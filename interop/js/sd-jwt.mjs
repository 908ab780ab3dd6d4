#!/usr/bin/env node
// Issue, present and verify SD-JWTs with the OpenWallet Foundation's SD-JWT implementation
// (@sd-jwt/core, with @sd-jwt/crypto-nodejs's hasher and salts), for credstack's
// interoperability tests.
//
//   node sd-jwt.mjs < request.json
//
// A request is one JSON object, or a JSON array of them (answered by an array, in order):
//
//   {"action": "issue", "payload": {...}, "disclosureFrame": {...}, "typ": "vc+sd-jwt",
//    "kid": "did:key:…#…", "privateJwk": {...}}            → {"token": "<SD-JWT>"}
//   {"action": "present", "token": "…", "presentationFrame": {...} | null,
//    "holderPrivateJwk": {...} | null, "aud": "…", "nonce": "…", "iat": 1780000000}
//                                                           → {"token": "<SD-JWT[+KB]>"}
//   {"action": "verify", "token": "…", "publicJwk": {...},
//    "holderPublicJwk": {...} | null, "nonce": "…" | null}  → {"verified": true,
//                                       "claims": {...}, "header": {...}} | {"verified": false,
//                                       "error": "<why not>"}
//
// Keys are Ed25519 JWKs (EdDSA): Node's own crypto signs and verifies. Nothing is fetched.

import {createPrivateKey, createPublicKey, sign, verify as verifySignature} from 'node:crypto';
import {pathToFileURL} from 'node:url';

import {SDJwtInstance} from '@sd-jwt/core';
import {digest, generateSalt} from '@sd-jwt/crypto-nodejs';

const b64url = bytes => Buffer.from(bytes).toString('base64url');

function signer(privateJwk) {
  const key = createPrivateKey({key: privateJwk, format: 'jwk'});
  return async data => b64url(sign(null, Buffer.from(data), key));
}

function verifier(publicJwk) {
  const key = createPublicKey({key: publicJwk, format: 'jwk'});
  return async (data, signature) =>
    verifySignature(null, Buffer.from(data), key, Buffer.from(signature, 'base64url'));
}

function instance({privateJwk, publicJwk, holderPrivateJwk, holderPublicJwk}) {
  return new SDJwtInstance({
    hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt, signAlg: 'EdDSA',
    ...(privateJwk ? {signer: signer(privateJwk)} : {}),
    ...(publicJwk ? {verifier: verifier(publicJwk)} : {}),
    ...(holderPrivateJwk ? {kbSigner: signer(holderPrivateJwk), kbSignAlg: 'EdDSA'} : {}),
    ...(holderPublicJwk ? {kbVerifier: verifier(holderPublicJwk)} : {}),
  });
}

export async function handle(request) {
  const {action} = request;
  if(action === 'issue') {
    const token = await instance(request).issue(
      request.payload, request.disclosureFrame,
      {header: {typ: request.typ || 'vc+sd-jwt', kid: request.kid}});
    return {token};
  }
  if(action === 'present') {
    const kb = request.holderPrivateJwk ? {kb: {payload: {
      iat: request.iat, aud: request.aud, nonce: request.nonce}}} : {};
    const token = await instance(request).present(
      request.token, request.presentationFrame || undefined, kb);
    return {token};
  }
  if(action === 'verify') {
    try {
      const options = request.nonce ? {keyBindingNonce: request.nonce} : {};
      const result = await instance(request).verify(request.token, options);
      return {verified: true, claims: result.payload, header: result.header,
              keyBinding: result.kb ? result.kb.payload : null};
    } catch(error) {
      return {verified: false, error: String(error && error.message || error)};
    }
  }
  throw new Error(`unknown action ${action}`);
}

async function main() {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
  }
  const input = JSON.parse(text);
  const requests = Array.isArray(input) ? input : [input];
  const answers = [];
  for(const request of requests) {
    answers.push(await handle(request));
  }
  process.stdout.write(JSON.stringify(Array.isArray(input) ? answers : answers[0]) + '\n');
}

if(import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
