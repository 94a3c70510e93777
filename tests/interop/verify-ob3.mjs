#!/usr/bin/env node
// Verify an Open Badges 3.0 credential with Digital Bazaar's libraries, as an
// independent check of what Merkkipaja issues.
//
// Prints one JSON object on stdout:
//   {"verified": bool, "errors": [{"name", "message"}...],
//    "statusResult": object|null, "warnings": [string...]}
// Exit status: 0 verified, 1 not verified, 2 usage or harness error.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022Cryptosuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';

import {buildContextStore} from './lib/contexts.mjs';
import {
  checkDidDocumentFile, DidResolver, parseDidWebOrigin
} from './lib/did-resolver.mjs';
import {createDocumentLoader} from './lib/document-loader.mjs';
import {
  describeError, findHarnessError, HarnessError
} from './lib/errors.mjs';

const EXIT_VERIFIED = 0;
const EXIT_NOT_VERIFIED = 1;
const EXIT_HARNESS_ERROR = 2;

const HARNESS_DIRECTORY = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_CONTEXTS_DIRECTORY = path.resolve(
  HARNESS_DIRECTORY, '..', '..', 'badges', 'openbadges', 'contexts');

// A command-line mistake: the CLI prints USAGE to stderr as well.
class UsageError extends HarnessError {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

const USAGE = `\
Usage: node verify-ob3.mjs --credential FILE [--contexts DIR]
         [--did-web-origin http://127.0.0.1:PORT] [--did-document FILE ...]

Verify an Open Badges 3.0 credential that has an embedded DataIntegrityProof
(cryptosuite eddsa-rdfc-2022) with @digitalbazaar/vc in JSON-LD safe mode.

Options:
  --credential FILE      JSON file with the signed credential (required).
  --contexts DIR         Folder of JSON-LD contexts whose README.md maps each
                         file to its URL (default: ${DEFAULT_CONTEXTS_DIRECTORY}).
  --did-document FILE    A did:web DID document, used for the DID in its id.
                         Repeat the option for more DIDs. These files take
                         precedence over --did-web-origin.
  --did-web-origin URL   Fetch other did:web documents from this origin:
                         did:web:HOST:a:b becomes URL/a/b/did.json and
                         did:web:HOST becomes URL/.well-known/did.json. Only
                         127.0.0.1 and localhost origins are allowed.
  -h, --help             Print this help.

Output: one JSON object {verified, errors, statusResult, warnings} on stdout.
Exit status: 0 verified, 1 not verified, 2 usage or harness error.`;

function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        credential: {type: 'string'},
        contexts: {type: 'string', default: DEFAULT_CONTEXTS_DIRECTORY},
        'did-document': {type: 'string', multiple: true, default: []},
        'did-web-origin': {type: 'string'},
        help: {type: 'boolean', short: 'h', default: false}
      },
      strict: true,
      allowPositionals: false
    });
  } catch(error) {
    throw new UsageError(error.message);
  }

  const {values} = parsed;
  if(!values.help && !values.credential) {
    throw new UsageError('--credential FILE is required.');
  }
  return {
    help: values.help,
    credentialFile: values.credential,
    contextsDirectory: values.contexts,
    didDocumentFiles: values['did-document'],
    didWebOrigin: values['did-web-origin'] === undefined ?
      undefined : parseDidWebOrigin(values['did-web-origin'])
  };
}

async function readJsonFile(filePath, description) {
  let text;
  try {
    text = await readFile(filePath, 'utf8');
  } catch(error) {
    throw new HarnessError(
      `Cannot read ${description} "${filePath}" (${error.code}).`);
  }
  try {
    return JSON.parse(text);
  } catch(error) {
    throw new HarnessError(
      `${description} "${filePath}" is not valid JSON: ${error.message}`);
  }
}

async function createLoader(options) {
  const {contexts, warnings} = await buildContextStore(
    options.contextsDirectory);

  const didDocuments = [];
  for(const file of options.didDocumentFiles) {
    const document = await readJsonFile(file, 'DID document file');
    checkDidDocumentFile(document, file);
    didDocuments.push(document);
  }
  const didResolver = new DidResolver({
    didDocuments, didWebOrigin: options.didWebOrigin
  });

  return {documentLoader: createDocumentLoader({contexts, didResolver}),
    warnings};
}

/**
 * Return the status check for the credential's `credentialStatus`, if any.
 *
 * TODO: add BitstringStatusListEntry checks with
 * @digitalbazaar/vc-bitstring-status-list. Its checkStatus() returns
 * `verified: true` for a revoked credential and reports revocation in a
 * separate flag, so the wrapper must turn a set bit into `verified: false`.
 *
 * @param {object} credential - The credential being verified.
 * @returns {Function|undefined} A checkStatus function for @digitalbazaar/vc.
 * @throws {HarnessError} If the credential has a credentialStatus, because
 *   no status check is implemented yet.
 */
function selectStatusCheck(credential) {
  if(credential.credentialStatus === undefined) {
    return undefined;
  }
  throw new HarnessError(
    'The credential has a credentialStatus, but this harness does not ' +
    'check status lists yet. Verify a credential without credentialStatus.');
}

/**
 * Verify a credential with an embedded eddsa-rdfc-2022 DataIntegrityProof.
 *
 * Safe mode stays on: @digitalbazaar/vc, data-integrity and the cryptosuite
 * expand and canonicalize with `safe: true`, so an undefined term or a
 * relative IRI fails verification instead of being dropped.
 *
 * @param {object} credential - The signed credential.
 * @param {Function} documentLoader - Loader from createDocumentLoader().
 * @returns {Promise<object>} The result of vc.verifyCredential().
 */
async function verifyDataIntegrity(credential, documentLoader) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022Cryptosuite});
  const checkStatus = selectStatusCheck(credential);
  return vc.verifyCredential({credential, suite, documentLoader, checkStatus});
}

// VC-JWT (planned): a `--jwt FILE` option selects a verifyJwt() beside
// verifyDataIntegrity(). It reads the compact JWS, fetches the issuer's JWK
// from a loopback URL with `jose`, and returns a result of the same shape so
// that summarizeResult() and the exit codes stay unchanged.

function collectErrors(result) {
  const pending = [result.error];
  for(const proofResult of result.results ?? []) {
    pending.push(proofResult.error, proofResult.purposeResult?.error);
  }

  const errors = [];
  const seen = new Set();
  while(pending.length > 0) {
    const error = pending.shift();
    if(!error) {
      continue;
    }
    // jsonld-signatures wraps all proof errors in one VerificationError.
    if(error.name === 'VerificationError' && Array.isArray(error.errors)) {
      pending.push(...error.errors);
      continue;
    }
    const description = describeError(error);
    const key = `${description.name}\n${description.message}`;
    if(!seen.has(key)) {
      seen.add(key);
      errors.push(description);
    }
  }
  return errors;
}

function summarizeResult(result, warnings) {
  const errors = collectErrors(result);
  if(!result.verified && errors.length === 0) {
    errors.push({
      name: 'Error',
      message: 'Verification failed, but the library reported no error.'
    });
  }
  return {
    verified: result.verified === true,
    errors,
    statusResult: result.statusResult ?? null,
    warnings
  };
}

function harnessFailure(error) {
  return {
    verified: false,
    errors: [describeError(error)],
    statusResult: null,
    warnings: []
  };
}

async function run(argv) {
  const options = parseCommandLine(argv);
  if(options.help) {
    process.stdout.write(USAGE + '\n');
    return {output: null, exitCode: EXIT_VERIFIED};
  }

  const credential = await readJsonFile(options.credentialFile, 'credential');
  const {documentLoader, warnings} = await createLoader(options);
  const result = await verifyDataIntegrity(credential, documentLoader);

  // A loader failure such as an unreachable did:web server is not evidence
  // against the credential, so it must not look like a failed verification.
  const harnessError = findHarnessError(result.error) ??
    (result.results ?? []).map(item => findHarnessError(item.error))
      .find(Boolean);
  if(harnessError) {
    return {output: harnessFailure(harnessError),
      exitCode: EXIT_HARNESS_ERROR};
  }

  const output = summarizeResult(result, warnings);
  return {output,
    exitCode: output.verified ? EXIT_VERIFIED : EXIT_NOT_VERIFIED};
}

async function main() {
  let outcome;
  try {
    outcome = await run(process.argv.slice(2));
  } catch(error) {
    if(error instanceof UsageError) {
      process.stderr.write(USAGE + '\n');
    } else if(!(error instanceof HarnessError)) {
      process.stderr.write(`${error.stack ?? error}\n`);
    }
    outcome = {output: harnessFailure(error), exitCode: EXIT_HARNESS_ERROR};
  }
  if(outcome.output) {
    process.stdout.write(JSON.stringify(outcome.output, null, 2) + '\n');
  }
  process.exitCode = outcome.exitCode;
}

await main();
