import type { TokenStorage } from "./storage.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

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
  /**
   * Read the endpoints from `${authority}/.well-known/openid-configuration` (once, when first
   * needed, kept for the tab's life). Its `issuer` must equal the authority. Default `false`.
   */
  discovery?: boolean;
  /** Explicit endpoint URLs; they win over discovery. Default: `${authority}/connect/authorize`, `/token`, `/userinfo`, `/revocation`, `/endsession`. */
  endpoints?: EndpointsOption;
  /** The header that carries `onBehalfOf` (a connected account or business id). Default `"on-behalf-of"`. */
  accountHeader?: string;
  /** Where the end-session endpoint sends the browser back after `logout({ endSession: true })`. Default `${location.origin}/`. */
  postLogoutRedirectUri?: string;
}

/** Explicit endpoint URLs of the authorization server. */
export interface EndpointsOption {
  authorization?: string;
  token?: string;
  userinfo?: string;
  revocation?: string;
  endSession?: string;
}

/** The authorization server's endpoints as the browser uses them; undefined where the server has none. */
export type Endpoints = Readonly<{ [K in keyof EndpointsOption]: string | undefined }>;

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
  /** Whether the endpoints come from the authority's metadata. */
  readonly discovery: boolean;
  /** The endpoints known without discovery: the explicit ones, and (without discovery) the defaults. */
  readonly endpoints: Endpoints;
  readonly accountHeader: string;
  readonly postLogoutRedirectUri: string | undefined;
}

/** The default authorization server. */
export const DEFAULT_AUTHORITY = "https://api.smartbills.io";
/** The default scope: `offline_access` asks for a refresh token. */
export const DEFAULT_SCOPE = "openid offline_access";

/**
 * Validates the provider's configuration and applies the defaults of API.md.
 * Throws a `TypeError` naming the property at once, so a typo fails at startup rather than at the
 * first sign-in.
 *
 * @param origin The page's origin, or undefined where there is none (server rendering).
 */
export function resolveConfig(input: SmartbillsConfig, origin: string | undefined): ResolvedConfig {
  if (typeof input !== "object" || !input) throw configError("config", process.env.NODE_ENV !== "production" && "must be an object");
  const { clientId, exchangeEndpoint } = input;
  if (typeof clientId !== "string" || !clientId.trim()) {
    throw configError("clientId", process.env.NODE_ENV !== "production" && "is required: pass your app's client id from the Smartbills dashboard");
  }

  const authorityUrl = absoluteUrl("authority", input.authority ?? DEFAULT_AUTHORITY);
  // Paths are appended to the authority: a query or fragment would end up in the middle of them.
  if (authorityUrl.search || authorityUrl.hash) throw configError("authority", process.env.NODE_ENV !== "production" && "must not have a query or a fragment");
  const authority = authorityUrl.href.replace(/\/$/, "");
  const issuer = absoluteUrl("issuer", input.issuer ?? authority).href.replace(/\/$/, "");

  const discovery = !!input.discovery;
  const given = input.endpoints ?? {};
  if (typeof given !== "object") throw configError("endpoints", process.env.NODE_ENV !== "production" && "must be an object of URLs");
  // Each endpoint: the explicit URL, else (without discovery) the /connect path of the authority.
  const endpoints = Object.freeze(
    Object.fromEntries(
      (["authorization:authorize", "token:token", "userinfo:userinfo", "revocation:revocation", "endSession:endsession"] as const).map((pair) => {
        const [name, path] = pair.split(":") as [keyof EndpointsOption, string];
        const value = given[name];
        return [name, value !== undefined ? absoluteUrl(`endpoints.${name}`, value).href : discovery ? undefined : `${authority}/connect/${path}`];
      }),
    ),
  ) as Endpoints;

  const isPublicClient = exchangeEndpoint === undefined;
  // Public mode with discovery and no explicit token endpoint: the browser reads it from the metadata.
  const tokenEndpoint = isPublicClient ? endpoints.token || `${authority}/connect/token` : urlOrPath("exchangeEndpoint", exchangeEndpoint, origin);

  const accountHeader = input.accountHeader ?? "on-behalf-of";
  // A header name is an RFC 9110 token; anything else would make every fetch throw.
  if (typeof accountHeader !== "string" || !/^[!#$%&'*+.^`|~\w-]+$/.test(accountHeader)) throw configError("accountHeader", process.env.NODE_ENV !== "production" && "must be an HTTP header name");
  const postLogoutRedirectUri =
    input.postLogoutRedirectUri === undefined ? (origin ? `${origin}/` : undefined) : urlOrPath("postLogoutRedirectUri", input.postLogoutRedirectUri, origin);

  const redirectUri =
    input.redirectUri === undefined ? (origin ? `${origin}/callback` : undefined) : urlOrPath("redirectUri", input.redirectUri, origin);
  // An href has a "#" only where its fragment starts; a path kept as given is checked as written.
  if (redirectUri?.includes("#")) throw configError("redirectUri", process.env.NODE_ENV !== "production" && "must not have a fragment (RFC 6749 §3.1.2)");

  const scope = input.scope ?? DEFAULT_SCOPE;
  if (typeof scope !== "string" || !scope.trim()) throw configError("scope", process.env.NODE_ENV !== "production" && "must be a non-empty string of space-separated scopes");

  const apiOrigins = input.apiOrigins ?? [];
  if (!Array.isArray(apiOrigins)) throw configError("apiOrigins", process.env.NODE_ENV !== "production" && "must be an array of origins");
  const trustedOrigins = [authorityUrl.origin, ...apiOrigins.map((value, i) => absoluteUrl(`apiOrigins[${i}]`, value).origin)];

  const storage = input.storage ?? "session";
  if (!isStorageOption(storage) || (storage === "cookie" && isPublicClient)) {
    throw configError(
      "storage",
      process.env.NODE_ENV !== "production" &&
        (storage === "cookie"
          ? `"cookie" needs an exchangeEndpoint: the backend holds the refresh token`
          : `must be "memory", "session", "local", "cookie" or an object with getItem, setItem and removeItem`),
    );
  }

  return Object.freeze({
    clientId,
    authority,
    authorizeEndpoint: endpoints.authorization || `${authority}/connect/authorize`,
    issuer,
    tokenEndpoint,
    isPublicClient,
    trustedOrigins: Object.freeze(trustedOrigins),
    redirectUri,
    scope: scope.trim(),
    storage,
    discovery,
    endpoints,
    accountHeader,
    postLogoutRedirectUri,
  });
}

/**
 * An absolute http(s) URL, or a path on this origin: one leading slash, and nothing the URL parser
 * would read as another host (no second slash or backslash after the first, no backslash or control
 * character anywhere). A path resolves against the page's origin; where there is none (server
 * rendering) it is kept as given, and the browser resolves it.
 */
function urlOrPath(prop: string, value: unknown, origin: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  if (typeof value !== "string" || !/^\/(?![/\\])[^\u0000-\u001f\u007f\\]*$/.test(value)) {
    return absoluteUrl(prop, value, true).href;
  }
  if (!origin) return value;
  const url = new URL(value, origin);
  if (url.origin !== origin) throw configError(prop, process.env.NODE_ENV !== "production" && "must be an absolute URL or a path on this origin");
  return url.href;
}

function isStorageOption(value: unknown): value is StorageOption {
  return typeof value === "object"
    ? ["getItem", "setItem", "removeItem"].every((method) => typeof (value as Record<string, unknown> | null)?.[method] === "function")
    : ["memory", "session", "local", "cookie"].includes(value as string);
}

/** Parses an absolute http(s) URL: https, or http on a loopback host; no credentials. `orPath` only words the error. */
function absoluteUrl(prop: string, value: unknown, orPath?: boolean): URL {
  let url: URL | undefined;
  try {
    if (typeof value === "string") url = new URL(value);
  } catch {
    // Not a URL: refused below.
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    const expected = orPath ? "an absolute URL or a path starting with '/'" : "an absolute http(s) URL";
    throw configError(prop, process.env.NODE_ENV !== "production" && `must be ${expected}${typeof value === "string" ? `, got ${JSON.stringify(value.slice(0, 100))}` : ""}`);
  }
  // Plain http leaks codes and tokens to the network; allow it only for local development.
  if (url.protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) {
    throw configError(prop, process.env.NODE_ENV !== "production" && "must use https (http is allowed only for localhost and 127.0.0.1)");
  }
  if (url.username || url.password) throw configError(prop, process.env.NODE_ENV !== "production" && "must not contain credentials");
  return url;
}

/** The problem is spelled out in development builds only; production keeps the property's name. */
function configError(prop: string, problem: string | false): TypeError {
  return new TypeError(`SmartbillsProvider: "${prop}" ${problem || "is invalid"}.`);
}
