// Offline JSON-LD context store for the Digital Bazaar verifier.
//
// Contexts come from two places only: the project's bundled folder, whose
// README.md maps each file name to the URL it stands for, and the contexts
// that the installed npm packages ship. Nothing is fetched from the network.
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {isDeepStrictEqual} from 'node:util';

import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import didContext from 'did-context';
import multikeyContext from '@digitalbazaar/multikey-context';

import {HarnessError} from './errors.mjs';

const CONTEXT_FILE_PATTERN = /[\w.-]+\.json(?:ld)?\b/g;
const URL_PATTERN = /https?:\/\/[^\s`'"<>()[\]|]+/g;

// Contexts shipped by the npm packages, used for URLs that the project
// folder does not contain.
const PACKAGE_CONTEXT_MAPS = [
  credentialsContext.contexts,
  dataIntegrityContext.contexts,
  didContext.contexts,
  multikeyContext.contexts
];

/**
 * Map context file names to URLs by reading a README.md.
 *
 * A line that names one context file maps it to the first URL on that line,
 * which covers both list items and table rows. A line that names several
 * files maps each one to the next URL that follows it before the next file
 * name, so "`a.json`: URL-A, `b.json`: the old copy" maps only a.json.
 *
 * @param {string} text - The README.md content.
 * @returns {Map<string, string>} File name to URL.
 */
export function parseContextReadme(text) {
  const urlByFile = new Map();
  for(const line of text.split('\n')) {
    const files = [...line.matchAll(CONTEXT_FILE_PATTERN)]
      .filter(match => !_isInsideUrl(line, match.index));
    if(files.length === 0) {
      continue;
    }
    const urls = [...line.matchAll(URL_PATTERN)].map(match => ({
      index: match.index,
      url: match[0].replace(/[.,;:]+$/, '')
    }));
    if(urls.length === 0) {
      continue;
    }

    if(files.length === 1) {
      urlByFile.set(files[0][0], urls[0].url);
      continue;
    }
    files.forEach((file, position) => {
      const end = position + 1 < files.length ?
        files[position + 1].index : line.length;
      const next = urls.find(url => url.index > file.index && url.index < end);
      if(next) {
        urlByFile.set(file[0], next.url);
      }
    });
  }
  return urlByFile;
}

function _isInsideUrl(line, index) {
  for(const match of line.matchAll(URL_PATTERN)) {
    if(index >= match.index && index < match.index + match[0].length) {
      return true;
    }
  }
  return false;
}

/**
 * Load every context that the folder's README.md maps to a URL.
 *
 * @param {string} directory - The contexts folder.
 * @returns {Promise<{contexts: Map<string, object>, warnings: string[]}>}
 *   Parsed context documents by URL, and notes about unmapped files.
 * @throws {HarnessError} If the folder or README.md is missing, a mapped
 *   file is missing or is not JSON, or two files claim one URL.
 */
export async function loadContextDirectory(directory) {
  const readmePath = path.join(directory, 'README.md');
  let readme;
  try {
    readme = await readFile(readmePath, 'utf8');
  } catch(error) {
    throw new HarnessError(
      `Cannot read the contexts index "${readmePath}" (${error.code}). ` +
      'Pass --contexts DIR with a folder whose README.md maps each context ' +
      'file to its URL.');
  }

  const urlByFile = parseContextReadme(readme);
  if(urlByFile.size === 0) {
    throw new HarnessError(
      `"${readmePath}" maps no context file to a URL. Each mapping line ` +
      'must contain a file name ending in .json or .jsonld and its URL.');
  }

  const contexts = new Map();
  const fileByUrl = new Map();
  for(const [file, url] of urlByFile) {
    if(fileByUrl.has(url)) {
      throw new HarnessError(
        `"${readmePath}" maps both "${fileByUrl.get(url)}" and "${file}" ` +
        `to ${url}. Map each URL to one file.`);
    }
    fileByUrl.set(url, file);
    contexts.set(url, await _readJsonFile(path.join(directory, file)));
  }

  const warnings = [];
  const listed = new Set(urlByFile.keys());
  for(const entry of await readdir(directory)) {
    if(/\.json(?:ld)?$/.test(entry) && !listed.has(entry)) {
      warnings.push(
        `Context file "${entry}" in ${directory} is not mapped to a URL in ` +
        'README.md, so it is not served.');
    }
  }
  return {contexts, warnings};
}

async function _readJsonFile(filePath) {
  let text;
  try {
    text = await readFile(filePath, 'utf8');
  } catch(error) {
    throw new HarnessError(
      `Cannot read context file "${filePath}" (${error.code}). ` +
      'Add the file or remove its line from README.md.');
  }
  try {
    return JSON.parse(text);
  } catch(error) {
    throw new HarnessError(
      `Context file "${filePath}" is not valid JSON: ${error.message}`);
  }
}

/**
 * Build the context store: the project folder first, then package contexts
 * for URLs that the folder lacks.
 *
 * @param {string} directory - The project's contexts folder.
 * @returns {Promise<{contexts: Map<string, object>, warnings: string[]}>}
 *   Contexts by URL, and warnings that include every URL whose project copy
 *   differs from the copy an npm package ships.
 */
export async function buildContextStore(directory) {
  const {contexts, warnings} = await loadContextDirectory(directory);
  for(const packageMap of PACKAGE_CONTEXT_MAPS) {
    for(const [url, document] of packageMap) {
      if(!contexts.has(url)) {
        contexts.set(url, document);
        continue;
      }
      // A project copy that drifts from Digital Bazaar's copy would hide
      // exactly the interoperability bugs this harness exists to catch.
      if(!isDeepStrictEqual(contexts.get(url), document)) {
        warnings.push(
          `The project copy of ${url} differs from the copy in the npm ` +
          'packages; the project copy is used.');
      }
    }
  }
  return {contexts, warnings};
}
