#!/usr/bin/env node
// Selective disclosure with the JavaScript reference implementation: an issuer's ecdsa-sd-2023
// base proof, and a holder's derived disclosure of it (@digitalbazaar/vc's issue() and
// derive() with @digitalbazaar/ecdsa-sd-2023-cryptosuite), for credstack's interoperability
// tests. Verifying a disclosure is verify.mjs's business (its suites include ecdsa-sd-2023).
//
//   node sd.mjs < request.json
//
// A request is one JSON object, or a JSON array of them (answered by an array, in order):
//
//   {"action": "issue",                     an issuer's base proof
//    "credential": {...},                   the unsigned credential
//    "mandatoryPointers": ["/issuer", ...], what every disclosure must reveal
//    "publicKeyMultibase": "zDna…",         the issuer's P-256 Multikey pair
//    "secretKeyMultibase": "z42t…",
//    "created": "2025-04-01T00:00:00Z",     optional: the proof's `created` (default: now)
//    "extraContexts": {"<url>": {...}}}     optional: contexts beyond the packages' own
//
//   {"action": "derive",                    a holder's disclosure
//    "credential": {...},                   the credential with its base proof
//    "selectivePointers": ["/name", ...],   what the holder chooses to reveal
//    "extraContexts": {"<url>": {...}}}
//
// The answer is the secured credential (or {"error": "..."} for a request that failed).
// Contexts and did:key come from the static loader of sign.mjs; nothing is fetched.

import * as vc from '@digitalbazaar/vc';
import {
  createDiscloseCryptosuite, createSignCryptosuite
} from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';

import {answerEach, documentLoader, keyPairFrom} from './sign.mjs';

async function answer(request) {
  const loader = documentLoader(request.extraContexts);
  if(request.action === 'issue') {
    const keyPair = await keyPairFrom(request);
    const cryptosuite = createSignCryptosuite(
      {mandatoryPointers: request.mandatoryPointers || []});
    return vc.issue({
      credential: structuredClone(request.credential),
      suite: new DataIntegrityProof(
        {signer: keyPair.signer(), date: request.created, cryptosuite}),
      documentLoader: loader
    });
  }
  if(request.action === 'derive') {
    const cryptosuite = createDiscloseCryptosuite(
      {selectivePointers: request.selectivePointers || []});
    return vc.derive({
      verifiableCredential: structuredClone(request.credential),
      suite: new DataIntegrityProof({cryptosuite}),
      documentLoader: loader
    });
  }
  throw new Error(`unknown action ${JSON.stringify(request.action)}: issue or derive`);
}

await answerEach(answer);
