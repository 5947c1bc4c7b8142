import { postTokenRequest, type TokenEndpointOutcome } from "./postTokenRequest.js";
import { readBoundedBytes } from "./readBoundedBytes.js";
import { readOAuthError } from "./readOAuthError.js";
import { redactSecret } from "./redactSecret.js";
import { tokenEndpointUrl } from "./tokenEndpointUrl.js";

/**
 * Options of {@link createTokenHandler}.
 *
 * @example
 * ```ts
 * const options: TokenHandlerOptions = { clientId, clientSecret, allowedRedirectUris: ["https://app.example.com/callback"] }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 (client credentials the handler adds)
 */
export interface TokenHandlerOptions {
  /** The client id of your Smartbills API key. Read it from the server environment (`SMARTBILLS_CLIENT_ID`). */
  clientId: string;
  /** The client secret of your Smartbills API key (`SMARTBILLS_CLIENT_SECRET`). Never ship it to a browser. */
  clientSecret: string;
  /** The authorization server; the token endpoint is `${authority}/connect/token`. Default `https://api.smartbills.io`. */
  authority?: string;
  /**
   * The redirect URIs your app's `<Callback/>` lives at, exactly as the browser sends them. A code
   * exchange with any other `redirect_uri` is refused, and a request whose `Origin` is not the origin
   * of one of them gets 403.
   */
  allowedRedirectUris: readonly string[];
  /** The `fetch` used to reach the token endpoint. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** How long the token endpoint (and the caller's body) may take, in ms. Default 10 000 (504 after it). */
  timeoutMs?: number;
  /** The largest request body accepted, in bytes. Default 16 KiB (413 above it). */
  maxBodyBytes?: number;
  /** Called for every error answer, for logging. It never receives the secret, a code or a token. */
  onError?: (info: TokenHandlerErrorInfo) => void;
  /**
   * Keep the refresh token out of JavaScript (the "token-mediating backend" of the OAuth
   * browser-based-apps BCP): the endpoint puts it in an `HttpOnly; Secure; SameSite=Strict` cookie,
   * strips it from the JSON the page sees, and reads it back on `grant_type=refresh_token`.
   * Pair it with `<SmartbillsProvider storage="cookie">`. `true` uses the defaults.
   */
  refreshTokenCookie?: boolean | RefreshTokenCookieOptions;
}

/**
 * Options of the refresh-token cookie.
 *
 * @example
 * ```ts
 * createTokenHandler({ ...options, refreshTokenCookie: { maxAge: 7 * 24 * 3600 } })
 * ```
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#section-6.2
 */
export interface RefreshTokenCookieOptions {
  /**
   * Default `__Host-smartbills-refresh` with `Path=/`: the `__Host-` prefix forbids a `Domain` and so
   * stops a sibling subdomain from planting or overwriting the cookie. With a `path` (scoping the
   * cookie to the endpoint), the default name is `__Secure-smartbills-refresh`, since `__Host-`
   * requires `Path=/`.
   */
  name?: string;
  /** Limits the cookie to the endpoint's path. Default `/` (see `name`). */
  path?: string;
  /** Lifetime in seconds. Default 14 days. */
  maxAge?: number;
  /** Where `DELETE` revokes the refresh token (best effort). Default `${authority}/connect/revocation`; `false` to skip. */
  revocationEndpoint?: string | false;
}

/** The request header the browser library sends in cookie mode; its absence means a forged or foreign request. */
export const CSRF_HEADER = "x-smartbills-request";

/**
 * What {@link TokenHandlerOptions.onError} receives: the answer's status and OAuth error, nothing else.
 *
 * @example
 * ```ts
 * createTokenHandler({ ...options, onError: ({ status, error }) => logger.warn({ status, error }, "token exchange refused") })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export interface TokenHandlerErrorInfo {
  status: number;
  error: string;
  error_description: string;
}

/**
 * A Fetch-API request handler: the exchange endpoint {@link createTokenHandler} makes.
 *
 * @example
 * ```ts
 * const response: Response = await tokenHandler(new Request(url, { method: "POST", body: form }))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export type TokenHandler = (request: Request) => Promise<Response>;

const DEFAULT_AUTHORITY = "https://api.smartbills.io";
const FORM_TYPE = "application/x-www-form-urlencoded";
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** Client authentication is this server's job; a caller that sends its own is confused or probing. */
const CALLER_CLIENT_AUTH = ["client_secret", "client_assertion", "client_assertion_type"] as const;
/** Only these reach the token endpoint; everything else a caller sends is dropped. */
const FORWARDED = {
  authorization_code: ["grant_type", "code", "redirect_uri", "code_verifier"],
  refresh_token: ["grant_type", "refresh_token", "scope"],
} as const;
const CREDENTIALS_REJECTED = "The token endpoint rejected this server's client credentials.";

interface Answer {
  status: number;
  body: Record<string, string | number> | null;
  cookie?: string;
}

interface CookieConfig {
  name: string;
  path: string;
  maxAge: number;
  revocationUrl: string | null;
}

interface Config {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  redirectUris: ReadonlySet<string>;
  origins: ReadonlySet<string>;
  fetch: typeof fetch;
  timeoutMs: number;
  maxBodyBytes: number;
  onError: ((info: TokenHandlerErrorInfo) => void) | undefined;
  cookie: CookieConfig | null;
}

/**
 * Creates the backend exchange endpoint: it takes the browser's OAuth token request (authorization
 * code with PKCE, or refresh), checks it, adds your client secret and forwards it to
 * `${authority}/connect/token`, and answers the token response or an OAuth error as JSON. It uses the
 * Fetch API only, so it runs on Node 20+, Deno, Bun and edge runtimes; for `node:http` and Express
 * wrap it in {@link toNodeHandler}.
 *
 * Every answer is JSON with `Cache-Control: no-store`; no answer is a 500, carries a stack trace,
 * copies an upstream header, or contains the secret; no CORS headers are ever set.
 *
 * @example
 * ```ts
 * const handler = createTokenHandler({
 *   clientId: process.env.SMARTBILLS_CLIENT_ID!,
 *   clientSecret: process.env.SMARTBILLS_CLIENT_SECRET!,
 *   allowedRedirectUris: ["https://app.example.com/callback"],
 * })
 * export const POST = handler // e.g. a Next.js route handler
 * ```
 * @throws TypeError naming the option, when an option is missing or invalid.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 (code exchange)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6 (refresh)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 (error answers)
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5 (code_verifier)
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.12 (no redirect following, 307)
 */
export function createTokenHandler(options: TokenHandlerOptions): TokenHandler {
  const config = resolveConfig(options);
  return async (request: Request): Promise<Response> => {
    let answer: Answer;
    try {
      answer = await handle(config, request);
    } catch {
      // Unreachable by design; if it ever happens, the caller still gets a plain OAuth error.
      answer = fail(400, "invalid_request", "The request could not be processed.");
    }
    return respond(config, answer);
  };
}

function resolveConfig(options: TokenHandlerOptions): Config {
  const name = "createTokenHandler";
  if (typeof options !== "object" || options === null) throw new TypeError(`${name}: options must be an object.`);
  const { clientId, clientSecret, allowedRedirectUris, timeoutMs = 10_000, maxBodyBytes = 16 * 1024 } = options;
  if (typeof clientId !== "string" || clientId === "") throw new TypeError(`${name}: "clientId" is required.`);
  if (typeof clientSecret !== "string" || clientSecret === "") throw new TypeError(`${name}: "clientSecret" is required.`);
  const tokenUrl = tokenEndpointUrl(options.authority ?? DEFAULT_AUTHORITY, name);
  if (!Array.isArray(allowedRedirectUris) || allowedRedirectUris.length === 0) {
    throw new TypeError(`${name}: "allowedRedirectUris" must be a non-empty array of absolute http(s) URLs.`);
  }
  const origins = new Set<string>();
  for (const uri of allowedRedirectUris as unknown[]) {
    const url = typeof uri === "string" ? parseUrl(uri) : null;
    // RFC 6749 §3.1.2: a redirection URI is absolute and has no fragment.
    if (url === null || (url.protocol !== "https:" && url.protocol !== "http:") || url.hash !== "" || uri !== String(uri).trim()) {
      throw new TypeError(`${name}: "allowedRedirectUris" must contain absolute http(s) URLs without a fragment; got ${JSON.stringify(String(uri)).slice(0, 100)}.`);
    }
    origins.add(url.origin);
  }
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`${name}: "timeoutMs" must be a positive number.`);
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new TypeError(`${name}: "maxBodyBytes" must be a positive integer.`);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${name}: "fetch" must be a function.`);
  if (options.onError !== undefined && typeof options.onError !== "function") throw new TypeError(`${name}: "onError" must be a function.`);
  const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  let cookie: CookieConfig | null = null;
  if (options.refreshTokenCookie) {
    const c = options.refreshTokenCookie === true ? {} : options.refreshTokenCookie;
    const path = c.path ?? "/";
    const cookieName = c.name ?? (path === "/" ? "__Host-smartbills-refresh" : "__Secure-smartbills-refresh");
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookieName)) throw new TypeError(`${name}: "refreshTokenCookie.name" is not a valid cookie name.`);
    if (cookieName.startsWith("__Host-") && path !== "/") throw new TypeError(`${name}: a "__Host-" cookie needs path "/".`);
    if (!/^\/[^;\s]*$/.test(path)) throw new TypeError(`${name}: "refreshTokenCookie.path" must be a path starting with "/".`);
    const maxAge = c.maxAge ?? 14 * 24 * 3600;
    if (!Number.isSafeInteger(maxAge) || maxAge <= 0) throw new TypeError(`${name}: "refreshTokenCookie.maxAge" must be a positive number of seconds.`);
    const revocationUrl = c.revocationEndpoint === false ? null : (c.revocationEndpoint ?? tokenUrl.replace(/\/connect\/token$/, "/connect/revocation"));
    cookie = { name: cookieName, path, maxAge, revocationUrl };
  }
  return {
    clientId,
    clientSecret,
    tokenUrl,
    redirectUris: new Set(allowedRedirectUris),
    origins,
    fetch: fetchFn as typeof fetch,
    timeoutMs,
    maxBodyBytes,
    onError: options.onError,
    cookie,
  };
}

async function handle(config: Config, request: Request): Promise<Answer> {
  const allowDelete = config.cookie !== null && request.method === "DELETE";
  if (request.method !== "POST" && !allowDelete) {
    cancel(request);
    return fail(405, "invalid_request", config.cookie ? "Use POST (or DELETE to sign out)." : "Use POST.");
  }

  // CSRF defence: a browser always sends Origin on a cross-origin POST, so a foreign one is a
  // page we do not know trying to redeem or refresh. No Origin means server-to-server or a tool.
  const origin = request.headers.get("origin");
  if (origin !== null && !config.origins.has(origin)) {
    cancel(request);
    return fail(403, "invalid_request", "Requests from this origin are not accepted.");
  }
  // With a cookie the browser attaches by itself, a custom header is required too: a cross-site
  // form or a simple request cannot set it, and setting it forces a CORS preflight we never grant.
  if (config.cookie && request.headers.get(CSRF_HEADER) !== "1") {
    cancel(request);
    return fail(403, "invalid_request", `Send the ${CSRF_HEADER} header.`);
  }
  if (allowDelete) return signOut(config, request);

  if (!isFormContentType(request.headers.get("content-type"))) {
    cancel(request);
    return fail(415, "invalid_request", `Send the parameters as ${FORM_TYPE} (UTF-8).`);
  }

  const declaredLength = request.headers.get("content-length");
  if (declaredLength !== null) {
    if (!/^\d{1,15}$/.test(declaredLength.trim())) {
      cancel(request);
      return fail(400, "invalid_request", "The Content-Length header is malformed.");
    }
    if (Number(declaredLength.trim()) > config.maxBodyBytes) {
      cancel(request);
      return tooLarge(config);
    }
  }

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), config.timeoutMs);
  const read = await readBoundedBytes(request.body, config.maxBodyBytes, deadline.signal).finally(() => clearTimeout(timer));
  if (read.kind === "too_large") return tooLarge(config);
  if (read.kind === "timeout") return fail(408, "invalid_request", "The request body did not arrive in time.");
  if (read.kind === "failed") return fail(400, "invalid_request", "The request body could not be read.");

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    return fail(400, "invalid_request", "The request body is not valid UTF-8.");
  }
  const params = parseForm(text);
  if (params === null) return fail(400, "invalid_request", "The request body is not a valid form (malformed percent-encoding).");

  // RFC 6749 §3.2: parameters must not repeat; which copy wins would be up to each parser.
  const names = [...params.keys()];
  if (new Set(names).size !== names.length) return fail(400, "invalid_request", "A parameter is repeated.");

  if (CALLER_CLIENT_AUTH.some((name) => params.has(name))) {
    return fail(400, "invalid_request", "Do not send client_secret or a client assertion; this server authenticates the client itself.");
  }
  const value = (name: string): string | undefined => {
    // RFC 6749 §3.2: a parameter without a value is treated as omitted.
    const v = params.get(name);
    return v === null || v === "" ? undefined : v;
  };
  const clientId = value("client_id");
  if (clientId !== undefined && clientId !== config.clientId) {
    // Not invalid_client (401): that code is reserved for our own credentials being refused upstream.
    return fail(400, "invalid_request", "client_id is not the client this endpoint serves.");
  }

  const grantType = value("grant_type");
  if (grantType === undefined) return fail(400, "invalid_request", "grant_type is missing.");
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    return fail(400, "unsupported_grant_type", "Only the authorization_code and refresh_token grants are accepted here.");
  }
  if (grantType === "authorization_code") {
    if (value("code") === undefined) return fail(400, "invalid_request", "code is missing.");
    const redirectUri = value("redirect_uri");
    if (redirectUri === undefined) return fail(400, "invalid_request", "redirect_uri is missing.");
    // Exact string comparison, no normalisation: RFC 9700 §4.1.3 (and §2.1) require exact matching.
    if (!config.redirectUris.has(redirectUri)) return fail(400, "invalid_grant", "redirect_uri is not one of this endpoint's allowed redirect URIs.");
    const verifier = value("code_verifier");
    if (verifier === undefined) return fail(400, "invalid_request", "code_verifier is missing; PKCE is required.");
    if (!CODE_VERIFIER.test(verifier)) return fail(400, "invalid_request", "code_verifier must be 43 to 128 characters from [A-Za-z0-9._~-].");
  } else if (config.cookie) {
    // The page never holds the refresh token in this mode; one in the body is a confused caller.
    if (params.has("refresh_token")) return fail(400, "invalid_request", "refresh_token comes from the session cookie here; do not send it.");
    if (readCookie(request, config.cookie.name) === undefined) {
      return { ...fail(400, "invalid_grant", "There is no session to refresh."), cookie: clearCookie(config.cookie) };
    }
  } else if (value("refresh_token") === undefined) {
    return fail(400, "invalid_request", "refresh_token is missing.");
  }

  const upstream = new URLSearchParams();
  for (const name of FORWARDED[grantType]) {
    const v = value(name);
    if (v !== undefined) upstream.set(name, v);
  }
  if (config.cookie && grantType === "refresh_token") upstream.set("refresh_token", readCookie(request, config.cookie.name)!);
  // client_secret_post rather than Basic: Basic needs the form-urlencoding of id and secret first
  // (RFC 6749 §2.3.1), which servers get wrong as often as clients do.
  upstream.set("client_id", config.clientId);
  upstream.set("client_secret", config.clientSecret);
  const outcome = await postTokenRequest(config.fetch, config.tokenUrl, upstream, config.timeoutMs);
  const answer = fromUpstream(config, outcome);
  return config.cookie ? withCookie(config.cookie, answer, grantType) : answer;
}

/** Cookie mode: moves a refresh token from the JSON into the cookie, and drops a dead session's cookie. */
function withCookie(cookie: CookieConfig, answer: Answer, grantType: "authorization_code" | "refresh_token"): Answer {
  if (answer.status === 200 && answer.body) {
    const { refresh_token: refreshToken, ...visible } = answer.body;
    if (typeof refreshToken === "string") return { status: 200, body: visible, cookie: setCookie(cookie, refreshToken) };
    return { status: 200, body: visible };
  }
  if (grantType === "refresh_token" && answer.status >= 400 && answer.status < 500 && answer.body?.error === "invalid_grant") {
    return { ...answer, cookie: clearCookie(cookie) };
  }
  return answer;
}

/** DELETE in cookie mode: revoke the refresh token (best effort) and clear the cookie. */
async function signOut(config: Config, request: Request): Promise<Answer> {
  cancel(request);
  const cookie = config.cookie!;
  const refreshToken = readCookie(request, cookie.name);
  if (refreshToken !== undefined && cookie.revocationUrl) {
    const body = new URLSearchParams({ token: refreshToken, token_type_hint: "refresh_token", client_id: config.clientId, client_secret: config.clientSecret });
    // The outcome does not change the answer: the cookie goes either way, and the grant expires.
    await postTokenRequest(config.fetch, cookie.revocationUrl, body, config.timeoutMs).catch(() => undefined);
  }
  return { status: 204, body: null, cookie: clearCookie(cookie) };
}

function setCookie(cookie: CookieConfig, value: string): string {
  return `${cookie.name}=${encodeURIComponent(value)}; Path=${cookie.path}; Max-Age=${cookie.maxAge}; HttpOnly; Secure; SameSite=Strict`;
}

function clearCookie(cookie: CookieConfig): string {
  return `${cookie.name}=; Path=${cookie.path}; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index === -1 || part.slice(0, index).trim() !== name) continue;
    try {
      const value = decodeURIComponent(part.slice(index + 1).trim());
      return value === "" ? undefined : value;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function fromUpstream(config: Config, outcome: TokenEndpointOutcome): Answer {
  switch (outcome.kind) {
    case "timeout":
      return fail(504, "temporarily_unavailable", `The token endpoint did not answer within ${config.timeoutMs} ms.`);
    case "network":
      return fail(502, "temporarily_unavailable", "The token endpoint could not be reached.");
    case "redirect":
      return fail(502, "server_error", `The token endpoint answered with a redirect (HTTP ${outcome.status}), which is not followed.`);
    case "unreadable":
      return fail(502, "server_error", `The token endpoint's answer (HTTP ${outcome.status}) could not be read.`);
    case "answer":
      break;
  }
  const { status, json } = outcome;
  if (status >= 200 && status < 300) {
    const token = pickTokenFields(json);
    if (token === null) return fail(502, "server_error", "The token endpoint's answer is not a token response.");
    if (config.clientSecret.length >= 8 && Object.values(token).some((v) => typeof v === "string" && redactSecret(v, config.clientSecret, "") !== v)) {
      // Tokens cannot be redacted without breaking them; an answer quoting our secret is refused whole.
      return fail(502, "server_error", "The token endpoint's answer was refused.");
    }
    return { status: 200, body: token };
  }
  const oauth = readOAuthError(json, config.clientSecret);
  if (status >= 400 && status < 500) {
    // Our credentials being refused is our misconfiguration: the user can do nothing about it,
    // and the upstream's wording may describe our client.
    if (status === 401 || oauth?.error === "invalid_client") return fail(502, "server_error", CREDENTIALS_REJECTED);
    if (oauth === null) return fail(502, "server_error", `The token endpoint answered HTTP ${status} without an OAuth error.`);
    return { status, body: { ...oauth } };
  }
  if (status === 503 || oauth?.error === "temporarily_unavailable") {
    return fail(502, "temporarily_unavailable", `The token endpoint is temporarily unavailable (HTTP ${status}).`);
  }
  return fail(502, "server_error", `The token endpoint failed (HTTP ${status}).`);
}

/**
 * Keeps the standard token response fields only (RFC 6749 §5.1, OIDC Core §3.1.3.3), with their
 * standard types. Anything else the upstream adds is dropped: the page does not need it, and an
 * unknown field could carry server-internal data.
 */
function pickTokenFields(json: unknown): Record<string, string | number> | null {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  const source = json as Record<string, unknown>;
  if (typeof source.access_token !== "string" || source.access_token === "") return null;
  const token: Record<string, string | number> = { access_token: source.access_token };
  for (const name of ["token_type", "refresh_token", "scope", "id_token"] as const) {
    const v = source[name];
    if (typeof v === "string" && v !== "") token[name] = v;
  }
  const expiresIn = typeof source.expires_in === "string" && source.expires_in.trim() !== "" ? Number(source.expires_in) : source.expires_in;
  if (typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn >= 0) token.expires_in = expiresIn;
  return token;
}

function isFormContentType(header: string | null): boolean {
  if (header === null) return false;
  const [type = "", ...parameters] = header.split(";");
  if (type.trim().toLowerCase() !== FORM_TYPE) return false;
  // We decode UTF-8 only; a body declared in another charset would be misread.
  return parameters.every((parameter) => {
    const [key = "", raw = ""] = parameter.split("=", 2);
    return key.trim().toLowerCase() !== "charset" || raw.trim().replace(/^"(.*)"$/, "$1").toLowerCase() === "utf-8";
  });
}

/**
 * URLSearchParams silently keeps a malformed `%` escape as text and turns an invalid UTF-8 escape
 * into U+FFFD; both are refused instead, so what we forward is what the caller meant.
 */
function parseForm(text: string): URLSearchParams | null {
  for (const pair of text.split("&")) {
    try {
      decodeURIComponent(pair.replace(/\+/g, " "));
    } catch {
      return null;
    }
  }
  return new URLSearchParams(text);
}

function cancel(request: Request): void {
  // Stop an upload we will not read instead of letting it drain.
  if (request.body !== null && !request.bodyUsed) request.body.cancel().catch(() => {});
}

function tooLarge(config: Config): Answer {
  return fail(413, "invalid_request", `The request body is larger than ${config.maxBodyBytes} bytes.`);
}

function fail(status: number, error: string, description: string): Answer {
  return { status, body: { error, error_description: description } };
}

function respond(config: Config, answer: Answer): Response {
  const headers = new Headers({
    "Content-Type": "application/json;charset=UTF-8",
    // RFC 6749 §5.1: token answers must not be cached anywhere.
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    "X-Content-Type-Options": "nosniff",
  });
  if (answer.status === 405) headers.set("Allow", config.cookie ? "POST, DELETE" : "POST");
  if (answer.cookie) headers.append("Set-Cookie", answer.cookie);
  if (answer.status >= 400 && config.onError) {
    try {
      config.onError({ status: answer.status, error: String(answer.body?.error), error_description: String(answer.body?.error_description ?? "") });
    } catch {
      // A failing logger must not change the answer.
    }
  }
  if (answer.body === null) {
    headers.delete("Content-Type");
    return new Response(null, { status: answer.status, headers });
  }
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
