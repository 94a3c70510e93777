// Bitstring Status List checks with @digitalbazaar/vc-bitstring-status-list.
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

import {fetchLoopbackJson} from './loopback.mjs';

const STATUS_LIST_ACCEPT =
  'application/vc+ld+json, application/ld+json, application/json';

/**
 * Check every BitstringStatusListEntry of a credential.
 *
 * The library verifies the status list credential's own proof and that its
 * issuer is the credential's issuer. It reports a set bit as
 * `verified: true` with `status: true` in the per-entry result, so a set
 * bit is turned into `verified: false` here: a verifier that read only
 * `verified` would accept revoked badges.
 *
 * Status list credentials are fetched only from loopback URLs.
 *
 * @param {object} options - The options that @digitalbazaar/vc passes to a
 *   checkStatus function.
 * @param {object} options.credential - The credential being verified.
 * @param {Function} options.documentLoader - Loader for contexts and DIDs.
 * @param {object} options.suite - The suite that verifies the list's proof.
 * @returns {Promise<object>} `{verified, results, error?}`.
 */
export async function checkBitstringStatus({credential, documentLoader, suite}) {
  const entries = [credential.credentialStatus].flat();
  const listUrls = new Set(entries
    .map(entry => entry?.statusListCredential)
    .filter(url => typeof url === 'string'));
  const loader = async url => {
    if(!listUrls.has(url)) {
      return documentLoader(url);
    }
    const document = await fetchLoopbackJson(url, {
      accept: STATUS_LIST_ACCEPT, description: 'status list credential'
    });
    return {contextUrl: null, documentUrl: url, document};
  };

  const result = await checkStatus({
    credential, documentLoader: loader, suite, verifyMatchingIssuers: true
  });
  if(!result.verified) {
    return result;
  }
  const setEntries = result.results.filter(item => item.status === true);
  if(setEntries.length === 0) {
    return result;
  }
  const purposes = setEntries.map(item => item.credentialStatus.statusPurpose);
  return {
    ...result,
    verified: false,
    error: new Error(
      'The status list marks the credential with status purpose ' +
      `${purposes.join(', ')}: the credential is revoked or suspended.`)
  };
}
