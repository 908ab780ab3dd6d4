#!/usr/bin/env node
// Blockcerts' Merkle receipts made and read by Blockcerts' own JavaScript, for credstack's
// interoperability tests of MerkleProof2019 (Blockcerts v3):
//
//   * `@blockcerts/lds-merkle-proof-2019` (Blockcerts' encoder and decoder of the proofValue:
//     CBOR, base58-btc, hashes as raw bytes);
//   * `jsonld` (jsonld.js 9, the JSON-LD processor Blockcerts' verifier hashes with):
//     `canonize` with URDNA2015 and no `rdfDirection`, as cert-verifier-js's computeLocalHash.
//
//   node blockcerts.mjs < request.json
//
// A request is one JSON object:
//
//   {"extraContexts": {"<url>": {...}},      contexts beyond the packages' own
//    "anchor": "blink:btc:testnet:<txid>",   where the batch's root is said to be written
//    "documents": [{...}, ...]}              credentials without proof, one Merkle batch
//     → {"proofValues": ["z…", ...], "targetHashes": ["<hex>", ...], "merkleRoot": "<hex>",
//        "decoded": [{"targetHash", "merkleRoot", "path", "anchors"}, ...]}
//
// Each document's hash is the SHA-256 of its canonical N-Quads; the batch's Merkle tree is
// built here (pairs hashed as raw bytes, an odd node promoted), and each document gets the
// path from its hash to the root, encoded by Blockcerts' Encoder and read back by its Decoder.
// Nothing is fetched.

import {createHash} from 'node:crypto';
import jsonld from 'jsonld';
import {Decoder, Encoder} from '@blockcerts/lds-merkle-proof-2019';
import {documentLoader, readJson} from './sign.mjs';

const sha256 = bytes => createHash('sha256').update(bytes).digest();

function merkleTree(leaves) {
  const levels = [leaves.map(hex => Buffer.from(hex, 'hex'))];
  while(levels.at(-1).length > 1) {
    const level = levels.at(-1);
    const next = [];
    for(let index = 0; index < level.length; index += 2) {
      next.push(index + 1 < level.length ?
        sha256(Buffer.concat([level[index], level[index + 1]])) : level[index]);
    }
    levels.push(next);
  }
  return levels;
}

function pathOf(levels, leaf) {
  const path = [];
  let index = leaf;
  for(const level of levels.slice(0, -1)) {
    const sibling = index % 2 === 0 ? index + 1 : index - 1;
    if(sibling < level.length) {
      path.push(index % 2 === 0 ?
        {right: level[sibling].toString('hex')} : {left: level[sibling].toString('hex')});
    }
    index = Math.floor(index / 2);
  }
  return path;
}

const request = await readJson();
const loader = documentLoader(request.extraContexts);
const targetHashes = [];
for(const document of request.documents) {
  const nquads = await jsonld.canonize(document, {
    algorithm: 'URDNA2015', format: 'application/n-quads', documentLoader: loader
  });
  targetHashes.push(sha256(Buffer.from(nquads, 'utf8')).toString('hex'));
}
const levels = merkleTree(targetHashes);
const merkleRoot = levels.at(-1)[0].toString('hex');
const proofValues = targetHashes.map((targetHash, index) => new Encoder({
  path: pathOf(levels, index), merkleRoot, targetHash, anchors: [request.anchor]
}).encode());
const decoded = (request.decode || []).map(value => new Decoder(value).decode());
process.stdout.write(JSON.stringify({proofValues, targetHashes, merkleRoot, decoded}));
