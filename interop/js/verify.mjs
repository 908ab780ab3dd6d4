#!/usr/bin/env node
// Verify credentials with the JavaScript reference implementation (@digitalbazaar/vc's
// verifyCredential with Data Integrity eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019,
// ecdsa-jcs-2019 and ecdsa-sd-2023 derived proofs, and the Ed25519Signature2020 and
// Ed25519Signature2018 suites), for credstack's interoperability tests.
//
//   node verify.mjs < request.json
//
// A request is one JSON object, or a JSON array of them (answered by an array, in order):
//
//   {"credential": {...},                the secured credential
//    "extraContexts": {"<url>": {...}},  optional: contexts beyond the packages' own
//    "now": "2026-01-01T00:00:00Z"}      optional: the time validity is judged at
//
// The answer is {"verified": true|false, "error": null | "<why not>"}. What the reference
// checks: the VC data model rules of `@digitalbazaar/vc` (context, type, issuer, validity
// window), every proof (the suite matched by its `cryptosuite`, or by its `type` for the
// Linked Data Signatures), that the verification
// method is the issuer's (CredentialIssuancePurpose: `assertionMethod` of the issuer's DID
// document, here did:key resolved locally). A credential with `credentialStatus` fails:
// no status check is wired in. Contexts come from the static loader in sign.mjs only.

import {pathToFileURL} from 'node:url';

import * as vc from '@digitalbazaar/vc';

import {describe, documentLoader, readJson, verifyingSuites} from './sign.mjs';

// Verify one credential; never throws.
export async function verify({credential, loader, now}) {
  try {
    const result = await vc.verifyCredential({
      credential, suite: verifyingSuites(), documentLoader: loader,
      ...(now ? {now} : {})
    });
    if(result.verified) {
      return {verified: true, error: null};
    }
    const errors = [result.error, ...(result.results || []).map(r => r.error)];
    const messages = errors.map(describe).filter(Boolean).flatMap(m => m.split(' | '));
    return {verified: false, error: [...new Set(messages)].join(' | ') || 'not verified'};
  } catch(error) {
    return {verified: false, error: describe(error)};
  }
}

async function main() {
  const input = await readJson();
  const requests = Array.isArray(input) ? input : [input];
  const answers = [];
  for(const {credential, extraContexts, now} of requests) {
    let loader;
    try {
      loader = documentLoader(extraContexts);
    } catch(error) {
      answers.push({verified: false, error: describe(error)});
      continue;
    }
    answers.push(await verify({credential, loader, now}));
  }
  process.stdout.write(JSON.stringify(Array.isArray(input) ? answers : answers[0]) + '\n');
}

if(process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
