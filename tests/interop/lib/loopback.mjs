// HTTP fetches for the verifier, restricted to this machine: status list
// credentials and JWKs are fetched from the test server on 127.0.0.1 or
// localhost, and any other host is refused.
import {HarnessError} from './errors.mjs';

export const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost']);
const FETCH_TIMEOUT_MS = 10_000;
// A status list credential of 131,072 entries is about 20 kB; a JWK is
// smaller still.
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Return whether a URL is an http(s) URL on 127.0.0.1 or localhost.
 *
 * @param {string} url - Any string.
 * @returns {boolean} True for a loopback http(s) URL without credentials.
 */
export function isLoopbackUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return ['http:', 'https:'].includes(parsed.protocol) &&
    LOOPBACK_HOSTNAMES.has(parsed.hostname) &&
    !parsed.username && !parsed.password;
}

/**
 * Fetch a JSON document from a loopback URL.
 *
 * @param {string} url - The document URL.
 * @param {object} options - The options.
 * @param {string} options.accept - The Accept header to send.
 * @param {string} options.description - What the document is, for messages.
 * @returns {Promise<object>} The parsed JSON value.
 * @throws {HarnessError} If the URL is not on a loopback host or the server
 *   cannot be reached: neither is evidence against the credential.
 * @throws {Error} If the server returns an error status or the body is not
 *   JSON, which a verifier treats as a failed check.
 */
export async function fetchLoopbackJson(url, {accept, description}) {
  if(!isLoopbackUrl(url)) {
    throw new HarnessError(
      `Fetching the ${description} from "${url}" is refused: this harness ` +
      'only fetches http(s) URLs on 127.0.0.1 and localhost.');
  }
  let response;
  try {
    // Redirects are errors so that a response cannot send the harness to
    // another host.
    response = await fetch(url, {
      headers: {accept},
      redirect: 'error',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS)
    });
  } catch(error) {
    throw new HarnessError(
      `Fetching the ${description} from ${url} failed: ` +
      `${error.cause?.message ?? error.message}. ` +
      'Check that the test server is running on that origin.',
      {cause: error});
  }
  if(!response.ok) {
    throw new Error(
      `The ${description} at ${url} was not found: HTTP ${response.status}.`);
  }
  const body = await response.arrayBuffer();
  if(body.byteLength > MAX_RESPONSE_BYTES) {
    throw new Error(
      `The ${description} at ${url} is ${body.byteLength} bytes; the ` +
      `limit is ${MAX_RESPONSE_BYTES} bytes.`);
  }
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch(error) {
    throw new Error(
      `The ${description} at ${url} is not valid JSON: ${error.message}`);
  }
}
