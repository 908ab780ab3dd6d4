#!/usr/bin/env node
// The JavaScript reference's sign and verify rates per suite, on one process, for
// credstack's side-by-side benchmark (bench/interop.py runs one of these per core).
//
//   node bench.mjs < config.json
//
// config: {"credentials": [...],            unsigned credentials, signed in turn
//          "signed": {"<suite>": [...]},     optional: secured credentials to verify in turn
//                                            (default: the reference signs `credentials`)
//          "seed": "<64 hex digits>", "created": "...", "extraContexts": {...},
//          "suites": ["eddsa-rdfc-2022", "eddsa-jcs-2022"], "seconds": 2,
//          "barrier": false}
//
// With "barrier": true the script prints {"ready": true} once it has prepared everything
// and waits for a line "go" on stdin before measuring, so that several processes measure
// at the same time. It prints one JSON line: operations per second for each suite's
// "sign" and "verify", and for raw Ed25519 sign/verify of 64 bytes (what a Data Integrity
// proof signs: two SHA-256 digests). A rate is the best of five rounds sharing `seconds`
// (on a shared machine other processes only ever slow a round down), as bench/proofs.py.
//
// Signing is `@digitalbazaar/vc`'s issue(); verifying is its verifyCredential(), the
// reference's whole path: VC checks, the proof, did:key resolution, issuer = controller.

import {createInterface} from 'node:readline';
import {performance} from 'node:perf_hooks';

import * as vc from '@digitalbazaar/vc';

import {documentLoader, keyPairFrom, SUITES, signingSuite, verifyingSuites} from './sign.mjs';

// Lines of stdin, one at a time.
const lines = createInterface({input: process.stdin, crlfDelay: Infinity})[
  Symbol.asyncIterator]();

// The config: the first lines that parse as JSON together.
async function readConfig() {
  let text = '';
  for(;;) {
    const {value, done} = await lines.next();
    if(done) {
      return JSON.parse(text);
    }
    text += value + '\n';
    try {
      return JSON.parse(text);
    } catch{
      // not complete yet
    }
  }
}

// Operations per second: the best of `rounds` rounds sharing `seconds`.
async function rate(operation, seconds, rounds = 5) {
  await operation(0);
  let best = 0;
  let count = 0;
  for(let round = 0; round < rounds; round++) {
    let done = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000 / rounds;
    for(;;) {
      count++;
      await operation(count);
      done++;
      if(done % 8 === 0 && performance.now() >= deadline) {
        break;
      }
    }
    best = Math.max(best, done / ((performance.now() - start) / 1000));
  }
  return best;
}

async function main() {
  const config = await readConfig();
  const {credentials, seed, created, extraContexts} = config;
  const suites = config.suites || SUITES;
  const seconds = config.seconds || 2;
  const keyPair = await keyPairFrom({seed});
  const loader = documentLoader(extraContexts);
  const verifiers = verifyingSuites();

  // Everything to verify, prepared before the clock starts.
  const signed = {};
  for(const suite of suites) {
    signed[suite] = config.signed?.[suite];
    if(!signed[suite]) {
      const signing = signingSuite({suite, keyPair, created});
      signed[suite] = [];
      for(const credential of credentials) {
        signed[suite].push(await vc.issue(
          {credential: {...credential}, suite: signing, documentLoader: loader}));
      }
    }
    // a verification that fails would measure the wrong thing
    const check = await vc.verifyCredential(
      {credential: signed[suite][0], suite: verifiers, documentLoader: loader});
    if(!check.verified) {
      throw new Error(`${suite}: the first credential does not verify`);
    }
  }
  const message = new Uint8Array(64);
  const signer = keyPair.signer();
  const verifier = keyPair.verifier();
  const signature = await signer.sign({data: message});

  if(config.barrier) {
    process.stdout.write(JSON.stringify({ready: true}) + '\n');
    await lines.next();
  }
  const rates = {};
  for(const suite of suites) {
    // the suite object is made once, as an issuer would; `created` stays fixed, as for a
    // batch issued within one second
    const signing = signingSuite({suite, keyPair, created});
    const unsigned = credentials;
    const secured = signed[suite];
    rates[suite] = {
      // a shallow copy: issue() adds `proof` to the object it is given
      sign: await rate(n => vc.issue({
        credential: {...unsigned[n % unsigned.length]}, suite: signing,
        documentLoader: loader
      }), seconds),
      verify: await rate(async n => {
        const result = await vc.verifyCredential({
          credential: secured[n % secured.length], suite: verifiers, documentLoader: loader
        });
        if(!result.verified) {
          throw new Error(`${suite}: a credential does not verify`);
        }
      }, seconds)
    };
  }
  rates.ed25519 = {
    sign: await rate(() => signer.sign({data: message}), seconds),
    verify: await rate(() => verifier.verify({data: message, signature}), seconds)
  };
  process.stdout.write(JSON.stringify({node: process.version, rates}) + '\n');
  process.exit(0);
}

await main();
