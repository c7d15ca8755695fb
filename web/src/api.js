// The JSON API of `sitrep serve` (docs/openapi.json). Errors come back as
// {error: {status, message, parameter?}}; they become ApiError so a filter
// field can show the message next to the parameter it names.

export class ApiError extends Error {
  constructor(status, message, parameter) {
    super(message);
    this.status = status;
    this.parameter = parameter ?? null;
  }
}

/** GET path?params as JSON; empty, null and false params are left out. */
export async function get(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v === '' || v === null || v === undefined || v === false) continue;
    url.searchParams.set(k, v === true ? 'true' : String(v));
  }
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, `cannot reach the server (${e.message})`);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status, `${path}: not JSON (HTTP ${res.status})`);
  }
  if (!res.ok) {
    const e = body?.error ?? {};
    throw new ApiError(e.status ?? res.status, e.message ?? res.statusText, e.parameter);
  }
  return body;
}

// The event filters the page offers, by their API names.
export const FILTER_KEYS = ['from', 'to', 'country', 'plover', 'actor', 'source', 'q', 'originals'];

/** The API parameters of a filter state, minus `omit` (e.g. the timeline
 * leaves out from/to so it keeps its context while a range is brushed). */
export function filterParams(filters, omit = []) {
  const out = {};
  for (const k of FILTER_KEYS) {
    if (omit.includes(k)) continue;
    const v = filters[k];
    if (v === '' || v === undefined || v === null || v === false) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Keeps only the newest answer of a kind: a slow answer to an old filter
 * must not overwrite a newer one. (Requests are not aborted: an aborted
 * fetch shows as a failed request, which the tests rightly count.)
 */
export function latest() {
  let seq = 0;
  return async (promise) => {
    const mine = ++seq;
    const value = await promise;
    return mine === seq ? { value, current: true } : { value, current: false };
  };
}
