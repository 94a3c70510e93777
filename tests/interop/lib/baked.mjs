// Reading a baked Open Badges 3.0 credential out of a PNG or SVG image,
// written independently of Merkkipaja's Python code.
//
// PNG: a chunk is length (4 bytes, big-endian), type (4), data, CRC-32 (4).
// The credential is in an iTXt, tEXt or zTXt chunk with the keyword
// "openbadgecredential". SVG: an <openbadges:credential> element in the
// namespace https://purl.imsglobal.org/ob/v3p0, with JSON as its content
// or a compact JWS in its verify attribute.
import {crc32, inflateSync} from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const OB3_KEYWORD = 'openbadgecredential';
const OB3_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const MAX_TEXT_BYTES = 1024 * 1024;

/**
 * Return every Open Badges 3.0 credential text baked into an image.
 *
 * @param {Buffer} image - PNG or SVG bytes.
 * @returns {{container: string, texts: string[]}} The image type and the
 *   baked texts in file order.
 * @throws {Error} If the image is neither PNG nor SVG, or is damaged.
 */
export function extractBaked(image) {
  if(image.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return {container: 'png', texts: extractFromPng(image)};
  }
  const text = image.toString('utf8');
  if(/^\s*</.test(text.replace(/^\uFEFF/, ''))) {
    return {container: 'svg', texts: extractFromSvg(text)};
  }
  throw new Error('The file is neither a PNG nor an SVG image.');
}

function extractFromPng(image) {
  const texts = [];
  let offset = PNG_SIGNATURE.length;
  for(;;) {
    if(offset + 12 > image.length) {
      throw new Error('The PNG is truncated: it ends before an IEND chunk.');
    }
    const length = image.readUInt32BE(offset);
    const type = image.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if(end > image.length) {
      throw new Error(`The PNG chunk ${type} at byte ${offset} runs past the end of the file.`);
    }
    const typeAndData = image.subarray(offset + 4, end - 4);
    if(crc32(typeAndData) !== image.readUInt32BE(end - 4)) {
      throw new Error(`The CRC of the PNG chunk ${type} at byte ${offset} does not match.`);
    }
    const data = image.subarray(offset + 8, end - 4);
    const text = readTextChunk(type, data);
    if(text !== undefined) {
      texts.push(text);
    }
    if(type === 'IEND') {
      return texts;
    }
    offset = end;
  }
}

function readTextChunk(type, data) {
  if(!['tEXt', 'zTXt', 'iTXt'].includes(type)) {
    return undefined;
  }
  const keywordEnd = data.indexOf(0);
  if(keywordEnd < 0 || data.toString('latin1', 0, keywordEnd) !== OB3_KEYWORD) {
    return undefined;
  }
  const rest = data.subarray(keywordEnd + 1);
  if(type === 'tEXt') {
    return rest.toString('latin1').trim();
  }
  if(type === 'zTXt') {
    return inflate(rest.subarray(1)).toString('latin1').trim();
  }
  // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
  const compressed = rest[0] === 1;
  const languageEnd = rest.indexOf(0, 2);
  const translatedEnd = rest.indexOf(0, languageEnd + 1);
  if(languageEnd < 0 || translatedEnd < 0) {
    throw new Error('An iTXt chunk lacks its language tag or translated keyword.');
  }
  const body = rest.subarray(translatedEnd + 1);
  return (compressed ? inflate(body) : body).toString('utf8').trim();
}

function inflate(data) {
  return inflateSync(data, {maxOutputLength: MAX_TEXT_BYTES});
}

function extractFromSvg(text) {
  if(/<!ENTITY/i.test(text)) {
    throw new Error('The SVG declares entities; it is not read.');
  }
  // The prefix is whatever the document binds to the Open Badges 3.0
  // namespace; an element in another namespace is not a credential.
  const prefixes = [...text.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*(["'])(.*?)\2/g)]
    .filter(match => match[3] === OB3_NAMESPACE)
    .map(match => match[1]);
  const texts = [];
  for(const prefix of new Set(prefixes)) {
    const name = `${prefix}:credential`;
    const element = new RegExp(
      `<${name}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</${name}\\s*>)`, 'g');
    for(const match of text.matchAll(element)) {
      const attributes = match[1] ?? '';
      const content = elementText(match[2] ?? '').trim();
      const verify = /\sverify\s*=\s*(["'])(.*?)\1/.exec(attributes)?.[2];
      texts.push(content || decodeEntities(verify ?? ''));
    }
  }
  return texts;
}

// CDATA sections are taken as written; text between them has entities decoded.
function elementText(content) {
  let text = '';
  let last = 0;
  for(const match of content.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)) {
    text += decodeEntities(content.slice(last, match.index)) + match[1];
    last = match.index + match[0].length;
  }
  return text + decodeEntities(content.slice(last));
}

function decodeEntities(value) {
  return value.replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
