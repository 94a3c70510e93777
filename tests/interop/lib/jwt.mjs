// VC-JWT verification with `jose`: an Open Badges 3.0 credential secured as
// a compact JWS whose payload is the credential plus the JWT claims that
// mirror it (iss = issuer.id, jti = id, sub = credentialSubject.id,
// nbf = validFrom, exp = validUntil).
import * as jose from 'jose';

import {fetchLoopbackJson} from './loopback.mjs';

const ALGORITHMS = ['RS256', 'ES256'];
const HEADER_MEMBERS = new Set(['alg', 'kid', 'jwk', 'typ']);
const REGISTERED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti']);
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

/**
 * A VC-JWT that fails a check; the CLI reports it as not verified.
 */
export class JwtCheckError extends Error {
  constructor(message) {
    super(message);
    this.name = 'JwtCheckError';
  }
}

/**
 * Verify a VC-JWT: header rules, signature, mirrored claims and dates.
 *
 * The key comes from the header's `kid` URL, fetched only from a loopback
 * host, or from an embedded `jwk`. An embedded key proves integrity but not
 * who the issuer is, so it adds a warning.
 *
 * @param {string} token - The compact JWS.
 * @param {object} [options] - The options.
 * @param {Date} [options.now] - The time to check validity at.
 * @returns {Promise<{credential: object, claims: object, warnings: string[]}>}
 *   The credential and claims from the verified payload.
 * @throws {JwtCheckError} If a check fails; jose errors for a bad signature.
 */
export async function verifyVcJwt(token, {now = new Date()} = {}) {
  const warnings = [];
  let header;
  try {
    header = jose.decodeProtectedHeader(token);
  } catch(error) {
    throw new JwtCheckError(`The VC-JWT header cannot be read: ${error.message}`);
  }
  checkHeader(header);

  const key = await resolveKey(header, warnings);
  const {payload: payloadBytes} = await jose.compactVerify(
    token, key, {algorithms: ALGORITHMS});

  let payload;
  try {
    payload = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch(error) {
    throw new JwtCheckError(`The VC-JWT payload is not JSON: ${error.message}`);
  }
  if(!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new JwtCheckError('The VC-JWT payload is not a JSON object.');
  }
  const {credential, claims} = splitPayload(payload);
  checkClaims(credential, claims);
  checkValidity(claims, now);
  return {credential, claims, warnings};
}

function checkHeader(header) {
  const extra = Object.keys(header).filter(name => !HEADER_MEMBERS.has(name));
  if(extra.length > 0) {
    throw new JwtCheckError(
      `The VC-JWT header has members ${extra.join(', ')}; Open Badges 3.0 ` +
      'allows only alg, kid, jwk and typ.');
  }
  if(!ALGORITHMS.includes(header.alg)) {
    throw new JwtCheckError(
      `The VC-JWT algorithm ${header.alg} is not RS256 or ES256.`);
  }
  if(header.typ !== undefined && header.typ !== 'JWT') {
    throw new JwtCheckError(`The VC-JWT header typ is "${header.typ}", not "JWT".`);
  }
  if(header.kid === undefined && header.jwk === undefined) {
    throw new JwtCheckError('The VC-JWT header has neither kid nor jwk.');
  }
}

async function resolveKey(header, warnings) {
  let jwk = header.jwk;
  if(header.kid !== undefined) {
    jwk = await fetchLoopbackJson(header.kid, {
      accept: 'application/jwk+json, application/json', description: 'JWK'
    });
  } else {
    warnings.push(
      'The VC-JWT carries its own public key (jwk), which proves integrity ' +
      'but not who the issuer is.');
  }
  if(!jwk || typeof jwk !== 'object') {
    throw new JwtCheckError('The VC-JWT key is not a JWK object.');
  }
  const privateMembers = PRIVATE_JWK_MEMBERS.filter(name => name in jwk);
  if(privateMembers.length > 0) {
    throw new JwtCheckError(
      `The JWK contains private key members ${privateMembers.join(', ')}.`);
  }
  if(jwk.alg !== undefined && jwk.alg !== header.alg) {
    throw new JwtCheckError(
      `The JWK is for ${jwk.alg}, but the VC-JWT is signed with ${header.alg}.`);
  }
  return jose.importJWK(jwk, header.alg);
}

function splitPayload(payload) {
  // Early Open Badges 3.0 tokens (VCDM 1.1) carry the credential in `vc`.
  if(payload.vc && typeof payload.vc === 'object' && !('@context' in payload)) {
    const {vc, ...claims} = payload;
    return {credential: vc, claims};
  }
  const credential = {};
  const claims = {};
  for(const [name, value] of Object.entries(payload)) {
    (REGISTERED_CLAIMS.has(name) ? claims : credential)[name] = value;
  }
  return {credential, claims};
}

function numericDate(text) {
  const milliseconds = Date.parse(text);
  return Number.isNaN(milliseconds) ? undefined : Math.floor(milliseconds / 1000);
}

function checkClaims(credential, claims) {
  const issuer = credential.issuer;
  const subject = [credential.credentialSubject].flat()[0];
  const expected = {
    iss: typeof issuer === 'object' ? issuer?.id : issuer,
    jti: credential.id,
    sub: subject?.id,
    nbf: numericDate(credential.validFrom ?? credential.issuanceDate),
    exp: numericDate(credential.validUntil ?? credential.expirationDate)
  };
  for(const name of ['iss', 'jti', 'sub', 'nbf']) {
    if(claims[name] === undefined) {
      throw new JwtCheckError(`The VC-JWT has no ${name} claim.`);
    }
  }
  for(const [name, value] of Object.entries(expected)) {
    const actual = claims[name];
    if(actual === undefined && value === undefined) {
      continue;
    }
    const same = ['nbf', 'exp'].includes(name) ?
      typeof actual === 'number' && Math.floor(actual) === value :
      actual === value;
    if(!same) {
      throw new JwtCheckError(
        `The VC-JWT claim ${name} is ${JSON.stringify(actual)}, but the ` +
        `credential gives ${JSON.stringify(value)}.`);
    }
  }
}

function checkValidity(claims, now) {
  const seconds = Math.floor(now.getTime() / 1000);
  if(claims.nbf > seconds) {
    throw new JwtCheckError('The credential is not valid yet (nbf is in the future).');
  }
  if(claims.exp !== undefined && claims.exp <= seconds) {
    throw new JwtCheckError('The credential has expired (exp is in the past).');
  }
}
