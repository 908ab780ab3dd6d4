// credstack's registry read by outside clients, unmodified from the npm registry:
//
// * @openid-federation/core (OpenWallet Foundation Labs): resolveTrustChains from a
//   provider's entity identifier up to credstack's trust anchor, signatures checked with
//   `jose` (the library takes a verification callback);
// * @digitalcredentials/issuer-registry-client 3.1.0: the DCC's legacy JSON registry
//   (`RegistryClient.load` + `didEntry`), as VerifierPlus and the Learner Credential Wallet
//   read their known registries;
// * the same client's 3.2.0-beta.5 (installed as dcc-issuer-registry-client-oidf): its
//   `lookupIssuersFor`, asking an OpenID Federation anchor's fetch endpoint `?sub=<did>`
//   and a legacy registry side by side.
//
// Input (stdin, JSON): { anchor, provider, unknown, dids: [...], registry, strangerDid }.
// Output (stdout, JSON): what each client concluded.
import { resolveTrustChains } from '@openid-federation/core'
import { RegistryClient } from '@digitalcredentials/issuer-registry-client'
import { RegistryClient as LookupClient } from 'dcc-issuer-registry-client-oidf'
import { compactVerify, importJWK } from 'jose'

const input = JSON.parse(await new Promise((resolve) => {
  let text = ''
  process.stdin.on('data', (chunk) => { text += chunk })
  process.stdin.on('end', () => resolve(text))
}))

// Node prints what the DCC clients log; keep stdout for the answer.
console.log = (...args) => process.stderr.write(args.map(String).join(' ') + '\n')

const verifyJwtCallback = async ({ jwt, jwk }) => {
  const key = await importJWK(jwk, jwk.alg)
  await compactVerify(jwt, key) // throws when the signature does not verify
  return true
}

async function resolve (entityId) {
  try {
    const chains = await resolveTrustChains({
      entityId, trustAnchorEntityIds: [input.anchor], verifyJwtCallback
    })
    return {
      chains: chains.map((chain) => ({
        valid: chain.valid,
        issuers: chain.chain.map((statement) => statement.iss),
        subjects: chain.chain.map((statement) => statement.sub),
        trustAnchor: chain.trustAnchorEntityConfiguration.sub,
        organizationName: chain.resolvedLeafMetadata?.federation_entity?.organization_name,
        homepage: chain.resolvedLeafMetadata?.federation_entity?.homepage_uri,
        trustMarks: (chain.rawLeafEntityConfiguration.trust_marks ?? []).map((mark) => mark.id)
      }))
    }
  } catch (error) {
    return { error: String(error?.message ?? error) }
  }
}

const legacy = new RegistryClient()
const loaded = await legacy.load({ config: [{ name: 'credstack', url: input.registry }] })
const entries = Object.fromEntries(input.dids.map((did) => {
  const entry = legacy.didEntry(did)
  return [did, entry ? { name: entry.name, url: entry.url, location: entry.location, registries: [...entry.inRegistries].map((r) => r.name) } : null]
}))

const lookup = new LookupClient()
lookup.use({
  registries: [
    { type: 'oidf', name: 'credstack federation', trustAnchorEC: `${input.anchor}/.well-known/openid-federation` },
    { type: 'dcc-legacy', name: 'credstack legacy', url: input.registry }
  ]
})
const lookups = {}
for (const did of [...input.dids, input.strangerDid]) {
  const found = await lookup.lookupIssuersFor(did)
  lookups[did] = {
    matching: found.matchingIssuers.map((match) => ({
      registry: match.registry.name ?? match.registry.federation_entity?.organization_name,
      name: match.issuer.federation_entity?.organization_name,
      nameJa: match.issuer.federation_entity?.['organization_name#ja'],
      dids: match.issuer.micro_credential_provider?.dids ?? null
    })),
    unchecked: found.uncheckedRegistries.map((registry) => registry.name)
  }
}

process.stdout.write(JSON.stringify({
  provider: await resolve(input.provider),
  unknown: await resolve(input.unknown),
  legacy: { loaded, entries },
  lookups
}))
