// The API client: one function per route, JSON in and out. Every call takes
// an optional AbortSignal so the caller can drop a stale request.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `Errore ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function request(url, options = {}) {
  const response = await fetch(url, {
    headers: { Accept: 'application/json', ...(options.headers || {}) },
    ...options,
  });
  let body = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) body = await response.json();
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export function searchParams(state, extra = {}) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const [facet, values] of Object.entries(state.filters || {})) {
    for (const value of values) params.append(facet, value);
  }
  if (state.sort && state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.page && state.page > 1) params.set('page', String(state.page));
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  return params;
}

// `analytics`: count this search for the editors' report (a deliberate
// search, not every pause while typing; docs/api.md).
export function search(state, { signal, perPage = 10, analytics = false } = {}) {
  const extra = { per_page: perPage };
  if (analytics) extra.analytics = 1;
  return request(`/api/search?${searchParams(state, extra)}`, { signal });
}

export function suggest(q, { signal } = {}) {
  return request(`/api/suggest?${new URLSearchParams({ q })}`, { signal });
}

let taxonomyPromise = null;
export function taxonomy() {
  if (!taxonomyPromise) {
    taxonomyPromise = request('/api/taxonomy').catch((error) => {
      taxonomyPromise = null;
      throw error;
    });
  }
  return taxonomyPromise;
}

export function programme({ signal } = {}) {
  return request('/api/programme', { signal });
}

// Sends a registration as JSON; resolves with the 201 body, rejects with an
// ApiError whose body carries {error, message, fields}.
export function register(fields, { idempotencyKey } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  return request('/api/registrations', {
    method: 'POST',
    headers,
    body: JSON.stringify(fields),
  });
}
