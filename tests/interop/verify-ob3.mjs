#!/usr/bin/env node
// Verify an Open Badges 3.0 credential with Digital Bazaar's libraries (Data
// Integrity) or with `jose` (VC-JWT), as an independent check of what
// Merkkipaja issues. A baked PNG or SVG is read with the harness's own
// extractor and its credential verified the same way.
//
// Prints one JSON object on stdout:
//   {"verified": bool, "errors": [{"name", "message"}...],
//    "statusResult": object|null, "warnings": [string...],
//    "proofFormat": "data-integrity"|"vc-jwt"|null, "container": "png"|"svg"|null}
// Exit status: 0 verified, 1 not verified, 2 usage or harness error.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022Cryptosuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';

import {extractBaked} from './lib/baked.mjs';
import {buildContextStore} from './lib/contexts.mjs';
import {
  checkDidDocumentFile, DidResolver, parseDidWebOrigin
} from './lib/did-resolver.mjs';
import {createDocumentLoader} from './lib/document-loader.mjs';
import {
  describeError, findHarnessError, HarnessError
} from './lib/errors.mjs';
import {verifyVcJwt} from './lib/jwt.mjs';
import {checkBitstringStatus} from './lib/status.mjs';

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
Usage: node verify-ob3.mjs (--credential FILE | --jwt FILE | --baked FILE)
         [--contexts DIR] [--did-web-origin http://127.0.0.1:PORT]
         [--did-document FILE ...]

Verify an Open Badges 3.0 credential that has an embedded DataIntegrityProof
(cryptosuite eddsa-rdfc-2022) with @digitalbazaar/vc in JSON-LD safe mode,
or a VC-JWT with jose. A BitstringStatusListEntry is checked too; status
lists and JWKs are fetched only from 127.0.0.1 and localhost.

Options (exactly one of the first three):
  --credential FILE      JSON file with the signed credential.
  --jwt FILE             File with a VC-JWT (compact JWS). The key is the JWK
                         at the header's kid URL (127.0.0.1 or localhost
                         only) or the header's jwk.
  --baked FILE           PNG or SVG with one baked Open Badges 3.0
                         credential, JSON or VC-JWT.
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

Output: one JSON object {verified, errors, statusResult, warnings,
proofFormat, container} on stdout.
Exit status: 0 verified, 1 not verified, 2 usage or harness error.`;

function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        credential: {type: 'string'},
        jwt: {type: 'string'},
        baked: {type: 'string'},
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
  const inputs = ['credential', 'jwt', 'baked'].filter(name => values[name]);
  if(!values.help && inputs.length !== 1) {
    throw new UsageError(
      'Give exactly one of --credential FILE, --jwt FILE and --baked FILE.');
  }
  return {
    help: values.help,
    credentialFile: values.credential,
    jwtFile: values.jwt,
    bakedFile: values.baked,
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

async function readBytes(filePath, description) {
  try {
    return await readFile(filePath);
  } catch(error) {
    throw new HarnessError(
      `Cannot read ${description} "${filePath}" (${error.code}).`);
  }
}

function createSuite() {
  return new DataIntegrityProof({cryptosuite: eddsaRdfc2022Cryptosuite});
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
  return vc.verifyCredential({
    credential, suite: createSuite(), documentLoader,
    checkStatus: checkBitstringStatus
  });
}

/**
 * Verify a VC-JWT and return a result shaped like vc.verifyCredential()'s.
 *
 * A failed check becomes `{verified: false, error}` unless it is a
 * HarnessError (an unreachable or non-loopback key URL), which is thrown.
 *
 * @param {string} token - The compact JWS.
 * @param {Function} documentLoader - Loader for the status list check.
 * @returns {Promise<object>} `{verified, error?, statusResult?, warnings}`.
 */
async function verifyJwt(token, documentLoader) {
  let decoded;
  try {
    decoded = await verifyVcJwt(token.trim());
  } catch(error) {
    if(findHarnessError(error)) {
      throw findHarnessError(error);
    }
    return {verified: false, error, warnings: []};
  }
  const {credential, warnings} = decoded;
  if(credential.credentialStatus === undefined) {
    return {verified: true, warnings};
  }
  const statusResult = await checkBitstringStatus({
    credential, documentLoader, suite: createSuite()
  });
  return {verified: statusResult.verified === true, statusResult, warnings};
}

/**
 * Pick the verification path for one input file.
 *
 * @param {object} options - Parsed command-line options.
 * @param {Function} documentLoader - Loader from createDocumentLoader().
 * @returns {Promise<{result: object, proofFormat: string, container: ?string}>}
 *   The library result, "data-integrity" or "vc-jwt", and "png"/"svg" for a
 *   baked image.
 */
async function verifyInput(options, documentLoader) {
  if(options.credentialFile) {
    const credential = await readJsonFile(options.credentialFile, 'credential');
    return {result: await verifyDataIntegrity(credential, documentLoader),
      proofFormat: 'data-integrity', container: null};
  }
  if(options.jwtFile) {
    const token = (await readBytes(options.jwtFile, 'VC-JWT')).toString('utf8');
    return {result: await verifyJwt(token, documentLoader),
      proofFormat: 'vc-jwt', container: null};
  }

  const image = await readBytes(options.bakedFile, 'baked image');
  let extracted;
  try {
    extracted = extractBaked(image);
  } catch(error) {
    return {result: {verified: false, error}, proofFormat: null, container: null};
  }
  const {container, texts} = extracted;
  if(texts.length !== 1) {
    const error = new Error(
      `The ${container.toUpperCase()} contains ${texts.length} Open Badges 3.0 ` +
      'credentials; a baked badge carries exactly one.');
    return {result: {verified: false, error}, proofFormat: null, container};
  }
  const [text] = texts;
  if(text.startsWith('{')) {
    let credential;
    try {
      credential = JSON.parse(text);
    } catch(error) {
      return {result: {verified: false, error}, proofFormat: null, container};
    }
    return {result: await verifyDataIntegrity(credential, documentLoader),
      proofFormat: 'data-integrity', container};
  }
  return {result: await verifyJwt(text, documentLoader),
    proofFormat: 'vc-jwt', container};
}

function collectErrors(result) {
  const pending = [result.error, result.statusResult?.error];
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

function summarizeResult(result, warnings, {proofFormat, container}) {
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
    warnings: [...warnings, ...(result.warnings ?? [])],
    proofFormat,
    container
  };
}

function harnessFailure(error) {
  return {
    verified: false,
    errors: [describeError(error)],
    statusResult: null,
    warnings: [],
    proofFormat: null,
    container: null
  };
}

async function run(argv) {
  const options = parseCommandLine(argv);
  if(options.help) {
    process.stdout.write(USAGE + '\n');
    return {output: null, exitCode: EXIT_VERIFIED};
  }

  const {documentLoader, warnings} = await createLoader(options);
  const {result, ...source} = await verifyInput(options, documentLoader);

  // A loader failure such as an unreachable did:web server is not evidence
  // against the credential, so it must not look like a failed verification.
  const harnessError = findHarnessError(result.error) ??
    findHarnessError(result.statusResult?.error) ??
    (result.results ?? []).map(item => findHarnessError(item.error))
      .find(Boolean);
  if(harnessError) {
    return {output: harnessFailure(harnessError),
      exitCode: EXIT_HARNESS_ERROR};
  }

  const output = summarizeResult(result, warnings, source);
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
