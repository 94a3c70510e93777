// DID resolution for the verifier: did:key computed locally, did:web from
// DID document files or from a loopback HTTP origin. Every other DID method
// is rejected.
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

import {HarnessError} from './errors.mjs';

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost']);
const DID_WEB_FETCH_TIMEOUT_MS = 10_000;
// One path segment of a did:web DID: RFC 3986 pchar without ':'.
const DID_WEB_SEGMENT_PATTERN = /^(?:[A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+$/;

// Properties whose values may embed verification methods in a DID document.
const VERIFICATION_RELATIONSHIPS = [
  'verificationMethod',
  'assertionMethod',
  'authentication',
  'capabilityInvocation',
  'capabilityDelegation',
  'keyAgreement'
];

/**
 * Check a --did-web-origin value and return it without a trailing slash.
 *
 * @param {string} origin - The value given on the command line.
 * @returns {string} The origin, for example "http://127.0.0.1:8000".
 * @throws {HarnessError} Unless it is a bare http(s) origin on 127.0.0.1
 *   or localhost. The harness must never send requests off this machine.
 */
export function parseDidWebOrigin(origin) {
  let url;
  try {
    url = new URL(origin);
  } catch {
    throw new HarnessError(
      `--did-web-origin "${origin}" is not a valid URL. ` +
      'Use the form http://127.0.0.1:PORT.');
  }
  if(!['http:', 'https:'].includes(url.protocol)) {
    throw new HarnessError(
      `--did-web-origin "${origin}" must use http or https.`);
  }
  if(!LOOPBACK_HOSTNAMES.has(url.hostname)) {
    throw new HarnessError(
      `--did-web-origin "${origin}" is rejected: only 127.0.0.1 and ` +
      'localhost origins are allowed.');
  }
  if(url.pathname !== '/' || url.search || url.hash || url.username ||
    url.password) {
    throw new HarnessError(
      `--did-web-origin "${origin}" must be a bare origin with no path, ` +
      'query, fragment or credentials.');
  }
  return url.origin;
}

/**
 * Split a did:web DID into its decoded host and its path segments.
 *
 * @param {string} did - A DID without a fragment, e.g.
 *   "did:web:127.0.0.1%3A8000:issuers:7".
 * @returns {{host: string, segments: string[]}} The host with "%3A"
 *   decoded to ":" and the raw path segments.
 * @throws {Error} If the DID is not a well-formed did:web DID.
 */
export function parseDidWeb(did) {
  const parts = did.split(':');
  if(parts.length < 3 || parts[0] !== 'did' || parts[1] !== 'web') {
    throw new Error(`"${did}" is not a did:web DID.`);
  }
  const [encodedHost, ...segments] = parts.slice(2);
  if(!encodedHost) {
    throw new Error(`did:web DID "${did}" has an empty host.`);
  }
  for(const segment of segments) {
    if(!DID_WEB_SEGMENT_PATTERN.test(segment) || segment === '.' ||
      segment === '..') {
      throw new Error(
        `did:web DID "${did}" has an invalid path segment "${segment}".`);
    }
  }

  let host;
  try {
    host = decodeURIComponent(encodedHost);
  } catch {
    throw new Error(`did:web DID "${did}" has an invalid host encoding.`);
  }
  return {host, segments};
}

/**
 * Build the URL of a did:web DID document on the given origin.
 *
 * The DID's own host is replaced by the origin, so production DIDs can be
 * served by a local test server: did:web:HOST maps to
 * ORIGIN/.well-known/did.json and did:web:HOST:a:b to ORIGIN/a/b/did.json.
 *
 * @param {string} did - The did:web DID, without a fragment.
 * @param {string} origin - A checked loopback origin.
 * @returns {string} The document URL.
 */
export function didWebDocumentUrl(did, origin) {
  const {segments} = parseDidWeb(did);
  const documentPath = segments.length === 0 ?
    '/.well-known/did.json' : `/${segments.join('/')}/did.json`;
  return origin + documentPath;
}

/**
 * Check that a parsed DID document file is usable and return its id.
 *
 * @param {object} document - The parsed file content.
 * @param {string} source - The file name, for messages.
 * @returns {string} The document's did:web id.
 * @throws {HarnessError} If the document has no did:web `id`.
 */
export function checkDidDocumentFile(document, source) {
  if(!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new HarnessError(
      `DID document file "${source}" must contain a JSON object.`);
  }
  const {id} = document;
  if(typeof id !== 'string' || !id.startsWith('did:web:') || id.includes('#')) {
    throw new HarnessError(
      `DID document file "${source}" has id ${JSON.stringify(id)}, but a ` +
      'did:web DID without a fragment is expected. did:key DIDs are ' +
      'resolved from the key itself and need no file.');
  }
  try {
    parseDidWeb(id);
  } catch(error) {
    throw new HarnessError(`DID document file "${source}": ${error.message}`);
  }
  return id;
}

function _findVerificationMethod(didDocument, methodId) {
  const fragment = methodId.slice(methodId.indexOf('#'));
  for(const relationship of VERIFICATION_RELATIONSHIPS) {
    const entries = [didDocument[relationship] ?? []].flat();
    for(const entry of entries) {
      if(!entry || typeof entry !== 'object') {
        continue;
      }
      if(entry.id === methodId || entry.id === fragment) {
        return entry;
      }
    }
  }
  return undefined;
}

/**
 * Resolves DIDs and DID URLs for the document loader.
 */
export class DidResolver {
  /**
   * @param {object} options - The options.
   * @param {object[]} [options.didDocuments] - did:web DID documents, each
   *   already checked with checkDidDocumentFile().
   * @param {string} [options.didWebOrigin] - A loopback origin checked with
   *   parseDidWebOrigin(), used for did:web DIDs not in didDocuments.
   */
  constructor({didDocuments = [], didWebOrigin} = {}) {
    this.didDocuments = new Map();
    for(const document of didDocuments) {
      this.didDocuments.set(document.id, document);
    }
    this.didWebOrigin = didWebOrigin;
    this.fetchedDocuments = new Map();

    this.didKeyDriver = DidKey.driver();
    this.didKeyDriver.use({
      multibaseMultikeyHeader: 'z6Mk',
      fromMultibase: Ed25519Multikey.from
    });
  }

  /**
   * Resolve a DID to its DID document, or a DID URL with a fragment to the
   * verification method it names.
   *
   * A returned verification method carries the DID document's `@context`,
   * because Ed25519Multikey.from() and jsonld-signatures need one on it.
   *
   * @param {string} didUrl - A DID, optionally with a "#fragment".
   * @returns {Promise<object>} The DID document or verification method.
   * @throws {Error} If the method is not did:key or did:web, or the DID or
   *   verification method is not found.
   */
  async resolve(didUrl) {
    if(didUrl.startsWith('did:key:')) {
      return this.didKeyDriver.get({url: didUrl});
    }
    if(!didUrl.startsWith('did:web:')) {
      throw new Error(
        `DID "${didUrl}" is rejected: this verifier resolves only did:key ` +
        'and did:web.');
    }

    const hashIndex = didUrl.indexOf('#');
    const did = hashIndex === -1 ? didUrl : didUrl.slice(0, hashIndex);
    const didDocument = await this._getDidWebDocument(did);
    if(hashIndex === -1) {
      return didDocument;
    }

    const method = _findVerificationMethod(didDocument, didUrl);
    if(!method) {
      throw new Error(
        `Verification method "${didUrl}" not found in the DID document ` +
        `of ${did}.`);
    }
    return {'@context': didDocument['@context'], ...method, id: didUrl};
  }

  async _getDidWebDocument(did) {
    if(this.didDocuments.has(did)) {
      return this.didDocuments.get(did);
    }
    if(!this.didWebOrigin) {
      throw new HarnessError(
        `DID document for ${did} not found: pass it with --did-document ` +
        'FILE, or pass --did-web-origin to fetch it over HTTP.');
    }
    if(!this.fetchedDocuments.has(did)) {
      this.fetchedDocuments.set(did, this._fetchDidWebDocument(did));
    }
    return this.fetchedDocuments.get(did);
  }

  async _fetchDidWebDocument(did) {
    const url = didWebDocumentUrl(did, this.didWebOrigin);
    let response;
    try {
      // Redirects are errors so that a response cannot send the verifier to
      // a host other than the loopback origin.
      response = await fetch(url, {
        headers: {accept: 'application/did+json, application/json'},
        redirect: 'error',
        signal: AbortSignal.timeout(DID_WEB_FETCH_TIMEOUT_MS)
      });
    } catch(error) {
      throw new HarnessError(
        `Fetching the DID document of ${did} from ${url} failed: ` +
        `${error.cause?.message ?? error.message}. ` +
        'Check that the test server is running on that origin.',
        {cause: error});
    }
    if(!response.ok) {
      throw new Error(
        `DID document for ${did} not found: GET ${url} returned HTTP ` +
        `${response.status}.`);
    }

    let document;
    try {
      document = await response.json();
    } catch(error) {
      throw new Error(
        `DID document for ${did} at ${url} is not valid JSON: ` +
        `${error.message}`);
    }
    if(document?.id !== did) {
      throw new Error(
        `DID document at ${url} has id ${JSON.stringify(document?.id)}, ` +
        `expected "${did}".`);
    }
    return document;
  }
}
