#!/usr/bin/env node
// Verifiable Presentations with the JavaScript reference implementation: a holder's proof
// for a verifier's challenge and domain (@digitalbazaar/vc's signPresentation() and verify()
// with AuthenticationProofPurpose), for credstack's interoperability tests.
//
//   node present.mjs < request.json
//
// A request is one JSON object, or a JSON array of them (answered by an array, in order):
//
//   {"action": "sign",                       the holder signs a presentation
//    "presentation": {...},                  the unsigned presentation (holder: the key's DID)
//    "suite": "eddsa-rdfc-2022" | "eddsa-jcs-2022",
//    "seed": "<64 hex digits>",              the holder's Ed25519 seed
//    "challenge": "...", "domain": "...",    what the verifier asked
//    "created": "2026-06-01T00:00:00Z",      optional: the proof's `created` (default: now)
//    "extraContexts": {"<url>": {...}}}      optional: contexts beyond the packages' own
//
//   {"action": "verify",                     a verifier checks a presentation
//    "presentation": {...},
//    "challenge": "...", "domain": "...",    what this verifier asked
//    "now": "2026-06-01T00:00:00Z",          optional: the time validity is judged at
//    "extraContexts": {"<url>": {...}}}
//
// A signed presentation is the answer to "sign" (or {"error": "..."}); "verify" answers
// {"verified": true|false, "presentation": true|false|null, "credentials": [true|false, ...],
// "error": null | "<why not>"}: the holder's proof (checked for authentication, with the
// challenge and the domain, its verification method among the did:key's authentication
// methods), then every credential in it as verify.mjs checks one. Contexts and did:key come
// from the static loader of sign.mjs; nothing is fetched.

import * as vc from '@digitalbazaar/vc';

import {
  answerEach, describe, documentLoader, keyPairFrom, signingSuite, verifyingSuites
} from './sign.mjs';

async function answer(request) {
  const loader = documentLoader(request.extraContexts);
  const {challenge, domain} = request;
  if(request.action === 'sign') {
    const keyPair = await keyPairFrom(request);
    return vc.signPresentation({
      presentation: structuredClone(request.presentation),
      suite: signingSuite({suite: request.suite, keyPair, created: request.created}),
      challenge, domain, documentLoader: loader
    });
  }
  if(request.action === 'verify') {
    const result = await vc.verify({
      presentation: request.presentation, challenge, domain, suite: verifyingSuites(),
      documentLoader: loader, ...(request.now ? {now: request.now} : {})
    });
    const errors = [
      result.error, ...(result.presentationResult?.results || []).map(r => r.error),
      ...(result.credentialResults || []).flatMap(r => [r.error, ...(r.results || []).map(
        inner => inner.error)])
    ];
    const messages = errors.map(describe).filter(Boolean).flatMap(m => m.split(' | '));
    return {
      verified: result.verified,
      presentation: result.presentationResult ? result.presentationResult.verified : null,
      credentials: (result.credentialResults || []).map(r => r.verified),
      error: result.verified ? null : ([...new Set(messages)].join(' | ') || 'not verified')
    };
  }
  throw new Error(`unknown action ${JSON.stringify(request.action)}: sign or verify`);
}

await answerEach(answer);
