// JSON-LD document loader that never reaches the network except for did:web
// documents on a loopback origin.
import jsigs from 'jsonld-signatures';

/**
 * Create a document loader for jsonld and jsonld-signatures.
 *
 * Lookup order: the context store, then DIDs through the resolver, then the
 * security v1/v2 contexts built into jsonld-signatures (it frames controller
 * documents that do not start with the DID context against security v2).
 * Any other URL is rejected.
 *
 * @param {object} options - The options.
 * @param {Map<string, object>} options.contexts - Context documents by URL.
 * @param {import('./did-resolver.mjs').DidResolver} [options.didResolver] -
 *   Resolver for did:key and did:web; without it every DID is rejected.
 * @returns {Function} An async function from URL to a remote document.
 */
export function createDocumentLoader({contexts, didResolver}) {
  const rejectUnknown = async url => {
    throw new Error(
      `Loading "${url}" is not allowed: this verifier serves only the ` +
      'bundled JSON-LD contexts and resolves only did:key and did:web. ' +
      'If it is a context, add it to the contexts folder and its README.md.');
  };
  const securityContextLoader = jsigs.extendContextLoader(rejectUnknown);

  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(url.startsWith('did:')) {
      if(!didResolver) {
        throw new Error(`Resolving "${url}" is not allowed: no DID resolver.`);
      }
      const document = await didResolver.resolve(url);
      return {contextUrl: null, documentUrl: url, document};
    }
    return securityContextLoader(url);
  };
}
