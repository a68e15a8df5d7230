// Same-origin JSON requests; writes carry the session's CSRF token. In the English interface every
// request asks ?lang=en, so the server's messages (refusals, errors) come in the interface's language.
import {lang} from './i18n.js';

let csrfToken = '';

export function localized(url) {
  if (lang() !== 'en' || /[?&]lang=/.test(url)) return url;
  return url + (url.includes('?') ? '&' : '?') + 'lang=en';
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.description || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function parse(response) {
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export async function getJSON(url) {
  return parse(await fetch(localized(url), {credentials: 'same-origin', headers: {Accept: 'application/json'}}));
}

// A request with a JSON body; returns {body, response} so callers can read ETags.
export async function send(method, url, body, headers = {}) {
  const response = await fetch(localized(url), {
    method, credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken, ...headers},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {body: await parse(response), response};
}

// A multipart form (files and fields) posted with the session's CSRF token; returns the JSON answer.
export async function sendForm(url, form) {
  const response = await fetch(localized(url), {
    method: 'POST', credentials: 'same-origin', body: form,
    headers: {Accept: 'application/json', 'X-CSRFToken': csrfToken},
  });
  return parse(response);
}
