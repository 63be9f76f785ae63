// The console's only way to the server: GraphQL at /graphql (JSON, and the multipart request spec
// for files), the spreadsheet export, and the development sign-in. The token is kept per tab.

import known from './schema.js';
import { lang } from './i18n.js';

const TOKEN = 'mandates.token';

export class ApiError extends Error {
  constructor(message, code, field) {
    super(message);
    this.code = code || 'ERROR';
    this.field = field || null;
  }
}

export const token = () => sessionStorage.getItem(TOKEN);
export const setToken = (value) => sessionStorage.setItem(TOKEN, value.trim());
export function clearToken() {
  sessionStorage.removeItem(TOKEN);
}

// Every request names the console's language: the server writes its messages in it (Accept-Language).
function authorization() {
  return { 'Accept-Language': lang(), ...(token() ? { Authorization: `Bearer ${token()}` } : {}) };
}

async function send(url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ApiError(error.message, 'NETWORK');
  }
}

async function unpack(response) {
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`, `HTTP_${response.status}`);
  }
  if (body.errors && body.errors.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions && first.extensions.code, first.extensions && first.extensions.field);
  }
  return body.data;
}

/** A GraphQL operation; resolves to `data`, rejects with an ApiError for top-level errors. */
export async function gql(query, variables = {}) {
  const response = await send('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...authorization() },
    body: JSON.stringify({ query, variables }),
  });
  return unpack(response);
}

/** A GraphQL operation with one file (the multipart request spec): `path` is where the file goes in the variables. */
export async function gqlWithFile(query, variables, path, file) {
  return gqlWithFiles(query, variables, [[path, file]]);
}

/** A GraphQL operation with files: `files` is a list of [path in the variables, file]. */
export async function gqlWithFiles(query, variables, files) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables }));
  form.append('map', JSON.stringify(Object.fromEntries(files.map(([path], i) => [i, [`variables.${path}`]]))));
  files.forEach(([, file], i) => form.append(String(i), file, file.name));
  const response = await send('/graphql', { method: 'POST', headers: { Accept: 'application/json', ...authorization() }, body: form });
  return unpack(response);
}

/** Fetches a file with the token (the export) and saves it under the server's file name. */
export async function download(url, fallbackName) {
  const response = await send(url, { headers: authorization() });
  if (!response.ok) await unpack(response);
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="([^"]+)"/.exec(disposition);
  saveBlob(blob, match ? match[1] : fallbackName);
}

function saveBlob(blob, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 10000);
}

// Development sign-in (absent in production: a 404 then).
export async function devPersonas() {
  const response = await send('/console/dev-personas', { headers: { Accept: 'application/json' } });
  if (!response.ok) return null;
  return (await response.json()).personas;
}

export async function devToken(key) {
  const response = await send('/console/dev-token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ key }),
  });
  if (!response.ok) throw new ApiError(`HTTP ${response.status}`, `HTTP_${response.status}`);
  return (await response.json()).token;
}

// What this server offers, from schema.js: generated from the schema the console is versioned with
// (`mandates export-console-schema`), so no introspection is needed (it is off in production).
const capabilitiesOfSchema = {
  queries: new Set(known.queries),
  mutations: new Set(known.mutations),
};

export function capabilities() {
  return capabilitiesOfSchema;
}

/** The values of an enum the console lists (schema.js), e.g. ClosureReason. */
export function enumValues(typeName) {
  return known.enumValues[typeName] || [];
}
