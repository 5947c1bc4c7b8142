import { expect } from "vitest";
import { createTokenHandler, type TokenHandlerOptions } from "../../src/server/createTokenHandler";

/** A unique marker secret; `:%+é` also checks the form-encoding. It must never appear in an answer. */
export const SECRET = "SECRET-MARKER-7f3a9c1e:%+é-4b6d";
export const CLIENT_ID = "client-abc";
export const AUTHORITY = "https://auth.smartbills.test";
export const TOKEN_URL = `${AUTHORITY}/connect/token`;
export const APP_ORIGIN = "https://app.example.com";
export const REDIRECT_URI = `${APP_ORIGIN}/callback`;
export const VERIFIER = "v".repeat(20) + "-._~" + "A1".repeat(10);

/** Every form the secret could take in an answer: raw, percent-encoded either way, JSON-escaped. */
export const SECRET_FORMS = [
  SECRET,
  encodeURIComponent(SECRET),
  new URLSearchParams({ s: SECRET }).toString().slice(2),
  encodeURIComponent(SECRET).toLowerCase(),
  "7f3a9c1e",
];

export interface RecordedRequest {
  url: string;
  init: RequestInit;
  headers: Headers;
  body: URLSearchParams;
  signal: AbortSignal | undefined;
}

export type Responder = (request: RecordedRequest) => Response | Promise<Response>;

/** A recording fake of the authorization server's token endpoint. */
export function createFakeUpstream(responder: Responder = () => tokenAnswer()) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(input instanceof Request ? input.headers : init.headers);
    const bodyText = input instanceof Request ? await input.text() : typeof init.body === "string" ? init.body : "";
    const record: RecordedRequest = { url, init, headers, body: new URLSearchParams(bodyText), signal: init.signal ?? undefined };
    requests.push(record);
    return responder(record);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export function tokenAnswer(extra: Record<string, unknown> = {}): Response {
  return json({ access_token: "at-1", token_type: "Bearer", expires_in: 3600, refresh_token: "rt-1", scope: "openid offline_access", id_token: "idt-1", ...extra });
}

export function makeHandler(upstream = createFakeUpstream(), options: Partial<TokenHandlerOptions> = {}) {
  const handler = createTokenHandler({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    authority: AUTHORITY,
    allowedRedirectUris: [REDIRECT_URI, "http://localhost:5173/callback"],
    fetch: upstream.fetch,
    ...options,
  });
  return { handler, upstream };
}

export const codeForm = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({ grant_type: "authorization_code", code: "code-1", redirect_uri: REDIRECT_URI, code_verifier: VERIFIER, client_id: CLIENT_ID, ...overrides });

export const refreshForm = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({ grant_type: "refresh_token", refresh_token: "rt-0", client_id: CLIENT_ID, ...overrides });

export function post(body: BodyInit | null, headers: Record<string, string> = {}, method = "POST"): Request {
  const init: RequestInit & { duplex?: "half" } = {
    method,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: APP_ORIGIN, ...headers },
  };
  if (body !== null) init.body = body;
  if (body instanceof ReadableStream) init.duplex = "half";
  return new Request("https://app.example.com/api/smartbills/token", init);
}

export interface Answer {
  response: Response;
  status: number;
  text: string;
  body: Record<string, unknown>;
}

/**
 * Calls the handler and checks what holds for every answer: JSON, the no-store headers, no CORS
 * header, no upstream header, no secret anywhere in the body or a header.
 */
export async function call(handler: (r: Request) => Promise<Response>, request: Request): Promise<Answer> {
  const response = await handler(request);
  const text = await response.text();
  expectNoSecret(text);
  for (const [name, value] of response.headers) expectNoSecret(`${name}: ${value}`);
  expect(response.headers.get("content-type")).toBe("application/json;charset=UTF-8");
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("pragma")).toBe("no-cache");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("access-control-allow-origin")).toBeNull();
  expect(response.status).not.toBe(500);
  const body = JSON.parse(text) as Record<string, unknown>;
  if (response.status >= 400) {
    expect(typeof body.error).toBe("string");
    expect(["string", "undefined"]).toContain(typeof body.error_description);
    expect(text).not.toMatch(/\bat [^\s]+:\d+:\d+/); // no stack frames
  }
  return { response, status: response.status, text, body };
}

export function expectNoSecret(text: string): void {
  for (const form of SECRET_FORMS) expect(text).not.toContain(form);
}
