// The UI's JSON API, relative to the page (so it works under any mount path).

export class ApiError extends Error {
  constructor(status, error) {
    super(error.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = error.code;
    this.field = error.field;
  }
}

async function request(path, init) {
  const res = await fetch(path, init);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.error ?? {});
  return body;
}

export function getJson(path, params) {
  const query = params ? `?${new URLSearchParams(params)}` : '';
  return request(`api/${path}${query}`, { headers: { accept: 'application/json' } });
}

/** Writes carry the header the server's write guard asks for. */
export function postJson(path, body) {
  return request(`api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-recon-ui': '1' },
    body: JSON.stringify(body),
  });
}
