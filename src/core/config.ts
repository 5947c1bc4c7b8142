import type { TokenStorage } from "./storage.js";

/**
 * Where the token set is kept between page loads: see the README's "Sessions" section. `"cookie"`
 * keeps the refresh token in the exchange endpoint's HttpOnly cookie and the access token in memory.
 */
export type StorageOption = "memory" | "session" | "local" | "cookie" | TokenStorage;

/** The configuration a {@link SmartbillsProvider} takes, before defaults. */
export interface SmartbillsConfig {
  /** The OAuth client id of your app, from the Smartbills dashboard. */
  clientId: string;
  /** Your backend's exchange endpoint (absolute URL or a path on this origin). Default: `${authority}/connect/token` (public client, PKCE only). */
  exchangeEndpoint?: string;
  /** The authorization server. Default `https://api.smartbills.io`. */
  authority?: string;
  /** The expected `iss` of callbacks (RFC 9207). Default: the authority. */
  issuer?: string;
  /** Origins that `useSmartbillsFetch` may send the token to, besides this app's own and the authority's. */
  apiOrigins?: readonly string[];
  /** Where Smartbills sends the user back. Default `${location.origin}/callback`. */
  redirectUri?: string;
  /** Scopes to ask for. Default `openid offline_access`. */
  scope?: string;
  /** Token storage. Default `"session"`. */
  storage?: StorageOption;
}

/** A validated configuration with every default applied. */
export interface ResolvedConfig {
  readonly clientId: string;
  readonly authority: string;
  readonly authorizeEndpoint: string;
  readonly issuer: string;
  /** The URL the browser POSTs the exchange protocol to. */
  readonly tokenEndpoint: string;
  /** True when no `exchangeEndpoint` was given, so the browser talks to the token endpoint itself. */
  readonly isPublicClient: boolean;
  /** The origins (not URLs) that may receive the bearer token, besides the page's own origin. */
  readonly trustedOrigins: readonly string[];
  /** Undefined only where there is no `window` (server rendering) and none was given. */
  readonly redirectUri: string | undefined;
  readonly scope: string;
  readonly storage: StorageOption;
}

/** The default authorization server. */
export const DEFAULT_AUTHORITY = "https://api.smartbills.io";
/** The default scope: `offline_access` asks for a refresh token. */
export const DEFAULT_SCOPE = "openid offline_access";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Validates the provider's configuration and applies the defaults of API.md.
 * Throws a `TypeError` naming the property at once, so a typo fails at startup rather than at the
 * first sign-in.
 *
 * @param origin The page's origin, or undefined where there is none (server rendering).
 */
export function resolveConfig(input: SmartbillsConfig, origin: string | undefined): ResolvedConfig {
  if (input === null || typeof input !== "object") throw configError("config", "must be an object");
  const { clientId } = input;
  if (typeof clientId !== "string" || clientId.trim() === "") {
    throw configError("clientId", "is required: pass your app's client id from the Smartbills dashboard");
  }

  const authorityUrl = absoluteUrl("authority", input.authority ?? DEFAULT_AUTHORITY);
  // Paths are appended to the authority: a query or fragment would end up in the middle of them.
  if (authorityUrl.search || authorityUrl.hash) throw configError("authority", "must not have a query or a fragment");
  const authority = stripTrailingSlash(authorityUrl.href);
  const issuer = stripTrailingSlash(input.issuer === undefined ? authority : absoluteUrl("issuer", input.issuer).href);

  let tokenEndpoint: string;
  if (input.exchangeEndpoint === undefined) {
    tokenEndpoint = `${authority}/connect/token`;
  } else if (isPath(input.exchangeEndpoint)) {
    // A path on the app's own origin: the common case of a backend route beside the app.
    tokenEndpoint = origin ? sameOriginUrl("exchangeEndpoint", input.exchangeEndpoint, origin).href : input.exchangeEndpoint;
  } else {
    tokenEndpoint = absoluteUrl("exchangeEndpoint", input.exchangeEndpoint, "an absolute URL or a path starting with '/'").href;
  }

  let redirectUri: string | undefined;
  if (input.redirectUri === undefined) {
    redirectUri = origin ? `${origin}/callback` : undefined;
  } else if (isPath(input.redirectUri)) {
    if (input.redirectUri.includes("#")) throw configError("redirectUri", "must not have a fragment (RFC 6749 §3.1.2)");
    // Server rendering knows no origin: keep the path, the browser resolves it.
    redirectUri = origin ? sameOriginUrl("redirectUri", input.redirectUri, origin).href : input.redirectUri;
  } else {
    const url = absoluteUrl("redirectUri", input.redirectUri);
    if (url.hash) throw configError("redirectUri", "must not have a fragment (RFC 6749 §3.1.2)");
    redirectUri = url.href;
  }

  const scope = input.scope ?? DEFAULT_SCOPE;
  if (typeof scope !== "string" || scope.trim() === "") throw configError("scope", "must be a non-empty string of space-separated scopes");

  const apiOrigins = input.apiOrigins ?? [];
  if (!Array.isArray(apiOrigins)) throw configError("apiOrigins", "must be an array of origins");
  const trustedOrigins = new Set<string>([new URL(authority).origin]);
  for (const [i, value] of apiOrigins.entries()) {
    trustedOrigins.add(absoluteUrl(`apiOrigins[${i}]`, value).origin);
  }

  const storage = input.storage ?? "session";
  if (!isStorageOption(storage)) {
    throw configError("storage", `must be "memory", "session", "local", "cookie" or an object with getItem, setItem and removeItem`);
  }
  if (storage === "cookie" && input.exchangeEndpoint === undefined) {
    throw configError("storage", `"cookie" needs an exchangeEndpoint: the backend holds the refresh token`);
  }

  return Object.freeze({
    clientId,
    authority,
    authorizeEndpoint: `${authority}/connect/authorize`,
    issuer,
    tokenEndpoint,
    isPublicClient: input.exchangeEndpoint === undefined,
    trustedOrigins: Object.freeze([...trustedOrigins]),
    redirectUri,
    scope: scope.trim(),
    storage,
  });
}

/** A path on this origin: one leading slash, and nothing the URL parser would read as another host. */
function isPath(value: unknown): value is string {
  // eslint-disable-next-line no-control-regex
  return typeof value === "string" && /^\/(?![/\\])/.test(value) && !/[\u0000-\u001f\u007f\\]/.test(value);
}

function sameOriginUrl(prop: string, path: string, origin: string): URL {
  const url = new URL(path, origin);
  if (url.origin !== origin) throw configError(prop, "must be an absolute URL or a path on this origin");
  return url;
}

function isStorageOption(value: unknown): value is StorageOption {
  if (value === "memory" || value === "session" || value === "local" || value === "cookie") return true;
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as TokenStorage).getItem === "function" &&
    typeof (value as TokenStorage).setItem === "function" &&
    typeof (value as TokenStorage).removeItem === "function"
  );
}

function absoluteUrl(prop: string, value: unknown, expected = "an absolute http(s) URL"): URL {
  if (typeof value !== "string" || value === "") throw configError(prop, `must be ${expected}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(prop, `must be ${expected}, got ${JSON.stringify(value.slice(0, 100))}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw configError(prop, `must be ${expected}`);
  // Plain http leaks codes and tokens to the network; allow it only for local development.
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw configError(prop, "must use https (http is allowed only for localhost and 127.0.0.1)");
  }
  if (url.username || url.password) throw configError(prop, "must not contain credentials");
  return url;
}

function stripTrailingSlash(href: string): string {
  return href.endsWith("/") ? href.slice(0, -1) : href;
}

function configError(prop: string, problem: string): TypeError {
  return new TypeError(`SmartbillsProvider: "${prop}" ${problem}.`);
}
