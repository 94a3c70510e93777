#!/usr/bin/env node
// Sign a credential with Digital Bazaar's own libraries and a fresh Ed25519
// key, to produce reference fixtures for verify-ob3.mjs that do not depend
// on Merkkipaja's signing code.
//
// Prints {"credential", "didDocument", "verificationMethod"} as JSON on
// stdout. didDocument is the did:web DID document to pass to
// verify-ob3.mjs --did-document, or null for did:key.
import {randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite as eddsaRdfc2022Cryptosuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';

import {buildContextStore} from './lib/contexts.mjs';
import {parseDidWeb} from './lib/did-resolver.mjs';
import {createDocumentLoader} from './lib/document-loader.mjs';
import {describeError} from './lib/errors.mjs';

const HARNESS_DIRECTORY = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_CONTEXTS_DIRECTORY = path.resolve(
  HARNESS_DIRECTORY, '..', '..', 'badges', 'openbadges', 'contexts');

const USAGE = `\
Usage: node sign-fixture.mjs --credential FILE (--did-key | --did-web DID)
         [--contexts DIR] [--created DATETIME]

Sign an unsigned credential with a new Ed25519 key as an eddsa-rdfc-2022
DataIntegrityProof. The credential's issuer id is replaced by the issuer DID.

Options:
  --credential FILE    JSON file with the unsigned credential (required).
  --did-key            Use the key's did:key DID as the issuer.
  --did-web DID        Use this did:web DID as the issuer, with the key as
                       DID#key-1; the DID document is printed too.
  --contexts DIR       Folder of JSON-LD contexts whose README.md maps each
                       file to its URL (default: ${DEFAULT_CONTEXTS_DIRECTORY}).
  --created DATETIME   Proof "created" value, an XML Schema dateTime
                       (default: now, to the second).
  -h, --help           Print this help.`;

class UsageError extends Error {}

function parseCommandLine(argv) {
  let values;
  try {
    ({values} = parseArgs({
      args: argv,
      options: {
        credential: {type: 'string'},
        'did-key': {type: 'boolean', default: false},
        'did-web': {type: 'string'},
        contexts: {type: 'string', default: DEFAULT_CONTEXTS_DIRECTORY},
        created: {type: 'string'},
        help: {type: 'boolean', short: 'h', default: false}
      },
      strict: true,
      allowPositionals: false
    }));
  } catch(error) {
    throw new UsageError(error.message);
  }
  if(values.help) {
    return {help: true};
  }
  if(!values.credential) {
    throw new UsageError('--credential FILE is required.');
  }
  if(values['did-key'] === (values['did-web'] !== undefined)) {
    throw new UsageError('Pass exactly one of --did-key and --did-web DID.');
  }
  if(values['did-web'] !== undefined) {
    try {
      parseDidWeb(values['did-web']);
    } catch(error) {
      throw new UsageError(error.message);
    }
  }
  return values;
}

async function createIssuerKey(didWeb) {
  const seed = randomBytes(32);
  if(didWeb) {
    const keyPair = await Ed25519Multikey.generate({
      seed, id: `${didWeb}#key-1`, controller: didWeb
    });
    const verificationMethod = await keyPair.export({
      publicKey: true, includeContext: false
    });
    const didDocument = {
      '@context': [
        'https://www.w3.org/ns/did/v1',
        'https://w3id.org/security/multikey/v1'
      ],
      id: didWeb,
      verificationMethod: [verificationMethod],
      assertionMethod: [verificationMethod.id]
    };
    return {keyPair, issuer: didWeb, didDocument};
  }

  // The did:key DID is derived from the public key, so the key is made
  // twice from one seed: first to learn the key, then with its ids.
  const {publicKeyMultibase} = await Ed25519Multikey.generate({seed});
  const did = `did:key:${publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.generate({
    seed, id: `${did}#${publicKeyMultibase}`, controller: did
  });
  return {keyPair, issuer: did, didDocument: null};
}

async function main() {
  const options = parseCommandLine(process.argv.slice(2));
  if(options.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }

  const credential = JSON.parse(await readFile(options.credential, 'utf8'));
  const {keyPair, issuer, didDocument} = await createIssuerKey(
    options['did-web']);
  if(credential.issuer && typeof credential.issuer === 'object') {
    credential.issuer = {...credential.issuer, id: issuer};
  } else {
    credential.issuer = issuer;
  }

  const {contexts} = await buildContextStore(options.contexts);
  const documentLoader = createDocumentLoader({contexts});
  const date = options.created ??
    new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), date, cryptosuite: eddsaRdfc2022Cryptosuite
  });
  const signed = await vc.issue({credential, suite, documentLoader});

  const output = {
    credential: signed, didDocument, verificationMethod: keyPair.id
  };
  process.stdout.write(JSON.stringify(output, null, 2) + '\n');
}

try {
  await main();
} catch(error) {
  if(error instanceof UsageError) {
    process.stderr.write(`sign-fixture: ${error.message}\n\n${USAGE}\n`);
  } else {
    const {name, message} = describeError(error);
    process.stderr.write(`sign-fixture: signing failed: ${name}: ${message}\n`);
  }
  process.exitCode = 2;
}
