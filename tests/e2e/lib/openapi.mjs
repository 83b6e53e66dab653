// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The API description checked against the server (issue 19): every /api/v1 answer the
// end-to-end suites receive (lib/server.mjs apiAt, lib/actors.mjs page) goes through
// checkResponse(), which finds the path template and method of docs/openapi.yaml the
// request matches, the response described for its status (or the operation's `default`
// for an error status), and validates the body with ajv (JSON Schema 2020-12, the
// dialect of OpenAPI 3.1). A response the document does not describe fails the test that
// received it, so the document cannot drift from the server. There is deliberately no
// switch to turn this off.
//
// Tolerated where the contract says so: a 204 (or 304) has no body; a body of another
// media type (text/calendar, image/svg+xml) is checked by its content type only; a
// request to a path the document does not know (a test of unknown routes) must be
// answered with an error in the error shape.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DOC_PATH = fileURLToPath(new URL('../../../docs/openapi.yaml', import.meta.url));
const DOC_ID = 'https://hearth.invalid/openapi.json';
const PREFIX = '/api/v1';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

let state = null;

/** docs/openapi.yaml as an object (YAML read by python3's PyYAML, a build dependency already). */
export function loadDocument(file = DOC_PATH) {
  const out = execFileSync('python3', ['-c',
    'import json, sys, yaml\njson.dump(yaml.safe_load(open(sys.argv[1], encoding="utf-8")), sys.stdout)', file],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}

/** A path template "/checkins/{id}" as a matcher; literal segments rank above parameters. */
function compileTemplate(template) {
  const segs = template.split('/').slice(1);
  const re = new RegExp('^' + segs.map((s) => '/' + (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('') + '$');
  // A rank string: "1" for each literal segment, "0" for a parameter; compared left to right
  // it prefers "/sessions/current" to "/sessions/{id}" as the server's route order does.
  const rank = segs.map((s) => (/^\{[^}]+\}$/.test(s) ? '0' : '1')).join('');
  return { template, re, rank };
}

function init() {
  if (state) return state;
  const doc = loadDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: DOC_ID });
  const templates = Object.keys(doc.paths || {}).map(compileTemplate);
  state = { doc, ajv, templates, validators: new Map() };
  return state;
}

const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Follow $ref (local JSON pointers) in a non-schema object; answers [object, pointer]. */
function deref(doc, obj, pointer) {
  let seen = 0;
  while (obj && typeof obj.$ref === 'string') {
    if (!obj.$ref.startsWith('#/') || ++seen > 10) throw new Error(`openapi: cannot follow ${obj.$ref}`);
    pointer = obj.$ref.slice(1);
    obj = obj.$ref.slice(2).split('/').reduce((o, k) => (o ? o[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc);
  }
  return [obj, pointer];
}

function validatorFor(pointer) {
  const s = init();
  let v = s.validators.get(pointer);
  if (!v) {
    v = s.ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
    s.validators.set(pointer, v);
  }
  return v;
}

/** The path template of the document an /api/v1 path (without its query) matches, or null. */
export function matchTemplate(apiPath, method) {
  const s = init();
  const rel = apiPath.slice(PREFIX.length) || '/';
  const hits = s.templates.filter((t) => t.re.test(rel));
  if (!hits.length) return null;
  const m = method.toLowerCase();
  const withMethod = hits.filter((t) => s.doc.paths[t.template][m]);
  const pool = withMethod.length ? withMethod : hits;
  pool.sort((a, b) => (a.rank < b.rank ? 1 : a.rank > b.rank ? -1 : 0));
  return pool[0].template;
}

function fail(msg) {
  const e = new Error(`docs/openapi.yaml: ${msg}`);
  e.code = 'ERR_OPENAPI';
  throw e;
}

/** The first of a Headers object or a plain header map. */
function header(headers, name) {
  if (!headers) return null;
  if (typeof headers.get === 'function') return headers.get(name);
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v ?? null;
}

function formatErrors(errors) {
  return (errors || []).slice(0, 8).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`).join('; ');
}

/** Validate JSON `body` against the error shape (components/schemas/Error). */
function checkErrorShape(ctx, body) {
  const v = validatorFor('/components/schemas/Error');
  if (!v(body)) fail(`${ctx}: the body is not the error shape: ${formatErrors(v.errors)}`);
}

/**
 * Throw unless the response (status, headers, raw text) to METHOD URL is one the document
 * describes. url is the request path with its query ("/api/v1/checkins?limit=2").
 */
export function checkResponse(method, url, { status, headers, text }) {
  const apiPath = url.split('?')[0].split('#')[0];
  if (!apiPath.startsWith(PREFIX + '/') && apiPath !== PREFIX) return;
  const s = init();
  const m = method.toUpperCase();
  const ctx = `${m} ${apiPath} -> ${status} ${String(text ?? '').slice(0, 200)}`;
  const ct = String(header(headers, 'content-type') || '');
  const template = matchTemplate(apiPath, m);
  const parseJson = () => {
    try { return JSON.parse(text); } catch { return fail(`${ctx}: the body is not JSON (Content-Type ${ct})`); }
  };

  // A path no route answers (tests of unknown routes), or a method the path lacks: an error in the error shape.
  const op = template && s.doc.paths[template][m.toLowerCase()];
  if (!op) {
    if (m === 'HEAD' && template && s.doc.paths[template].get) return; // HEAD is GET without its body
    if (status >= 400 && /^application\/json/i.test(ct)) return checkErrorShape(ctx, parseJson());
    if (status >= 400 && !text) return;
    fail(`${ctx}: no operation ${m} ${template ? PREFIX + template : apiPath} in the document`);
  }

  const opPointer = `/paths/${esc(template)}/${m.toLowerCase()}`;
  const responses = op.responses || {};
  let key = String(status);
  if (!responses[key]) {
    const range = `${String(status)[0]}XX`;
    if (responses[range]) key = range;
    else if (status >= 400 && responses.default) key = 'default';
    else fail(`${ctx}: ${m} ${PREFIX}${template} has no response ${status} (statuses described: ${Object.keys(responses).join(', ') || 'none'})`);
  }
  const [resp, respPointer] = deref(s.doc, responses[key], `${opPointer}/responses/${esc(key)}`);
  if (!resp) fail(`${ctx}: the response ${key} of ${m} ${PREFIX}${template} is a broken $ref`);
  const content = resp.content || {};
  const types = Object.keys(content);

  if (status === 204 || status === 304 || m === 'HEAD') {
    if (m !== 'HEAD' && text) fail(`${ctx}: a ${status} has a body`);
    return;
  }
  if (!types.length) {
    if (text) fail(`${ctx}: the document describes no body for ${key} of ${m} ${PREFIX}${template}, the server sent one (${ct})`);
    return;
  }
  const mediaType = ct.split(';')[0].trim().toLowerCase();
  const type = types.find((t) => t.toLowerCase() === mediaType);
  if (!type) fail(`${ctx}: Content-Type ${ct}, the document describes ${types.join(', ')} for ${key} of ${m} ${PREFIX}${template}`);
  if (!/^application\/(.+\+)?json$/.test(mediaType)) return; // text/calendar, image/svg+xml: the type is the contract
  const body = parseJson();
  if (!content[type].schema) fail(`${ctx}: ${type} of ${key} of ${m} ${PREFIX}${template} has no schema`);
  const v = validatorFor(`${respPointer}/content/${esc(type)}/schema`);
  if (!v(body)) fail(`${ctx}: the body does not match ${m} ${PREFIX}${template} ${key}: ${formatErrors(v.errors)}`);
}

/** Every operation of the document as "METHOD /api/v1/template-with-{}" (for the routes test). */
export function documentedRoutes(doc = init().doc) {
  const out = [];
  for (const [p, item] of Object.entries(doc.paths || {}))
    for (const m of METHODS) if (item[m]) out.push(`${m.toUpperCase()} ${PREFIX}${p.replace(/\{[^}]+\}/g, '{}')}`);
  return out;
}

export { DOC_PATH, PREFIX };
