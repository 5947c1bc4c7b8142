/// <reference types="node" />
/**
 * The dev server's options, checked and completed before anything listens: a redirect URI that is
 * neither loopback nor https, a bad base path or a client without what its grants need is refused
 * here, with a message that names the option.
 */
import type { DevServerClient, DevServerClientAuthMethod, DevServerGrant, DevServerUser, SmartbillsDevServerOptions } from "./types.js";

/**
 * alice (two connected accounts) and bob (one): the users of every dev server that names none.
 *
 * @example
 * const [alice] = DEFAULT_DEV_USERS; // alice.accounts[0].id === "acct_alice_store"
 */
export const DEFAULT_DEV_USERS: readonly DevServerUser[] = Object.freeze([
  {
    sub: "alice",
    name: "Alice Martin",
    email: "alice@example.com",
    accounts: [
      { id: "acct_alice_store", name: "Alice's Store" },
      { id: "acct_bakery", name: "Corner Bakery" },
    ],
  },
  { sub: "bob", name: "Bob Tremblay", email: "bob@example.com", accounts: [{ id: "acct_bob_cafe", name: "Bob's Café" }] },
]);

/** A client with every default filled in. */
export interface ResolvedClient extends DevServerClient {
  clientId: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grants: DevServerGrant[];
  tokenEndpointAuthMethod: DevServerClientAuthMethod;
  isPublic: boolean;
}

/** The options with every default filled in (internal). */
export interface ResolvedOptions {
  port: number;
  basePath: string;
  clients: ResolvedClient[];
  users: readonly DevServerUser[];
  accessTokenTtl: number;
  clientCredentialsTtl: number;
  refreshTokenTtl: number;
  idTokenTtl: number;
  rotation: boolean;
  accountHeader: string;
  apiCorsOrigins: string[];
  log: (line: string) => void;
}

const fail = (message: string): never => {
  throw new TypeError(`startSmartbillsDevServer: ${message}`);
};

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * True for `https:` URLs and `http:` on a loopback host: the only redirect URIs a dev server accepts
 * (anything else could hand a code to another machine).
 *
 * @example
 * isAllowedRedirectUri("http://127.0.0.1:5173/callback"); // true
 * isAllowedRedirectUri("http://192.168.1.2/callback");    // false
 */
export function isAllowedRedirectUri(uri: string): boolean {
  const url = URL.parse(uri);
  if (!url || url.hash || url.username || url.password) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

/** Throws for a URI {@link isAllowedRedirectUri} refuses (used at start and by `addRedirectUris`). */
export function checkRedirectUri(uri: string, what: string): void {
  if (!isAllowedRedirectUri(uri)) {
    fail(`${what} ${JSON.stringify(uri)} is neither https nor http on a loopback host (127.0.0.1, localhost, [::1])`);
  }
}

const seconds = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) fail(`${name} must be a positive whole number of seconds`);
  return value;
};

export const originOf = (uri: string): string | null => URL.parse(uri)?.origin ?? null;

function resolveClient(client: DevServerClient, basePath: string, seen: Set<string>): ResolvedClient {
  if (typeof client.clientId !== "string" || !/^[\x21-\x7e]+$/.test(client.clientId)) fail("every client needs a printable clientId");
  if (seen.has(client.clientId)) fail(`two clients have the id ${JSON.stringify(client.clientId)}`);
  seen.add(client.clientId);
  const redirectUris = [...(client.redirectUris ?? [])];
  for (const uri of redirectUris) checkRedirectUri(uri, `client ${client.clientId}: redirect URI`);
  const isPublic = client.clientSecret === undefined;
  if (!isPublic && !/^[\x20-\x7e]+$/.test(client.clientSecret ?? "")) {
    fail(`client ${client.clientId}: clientSecret must be printable ASCII, not empty (omit it for a public client)`);
  }
  const grants = [...(client.grants ?? (redirectUris.length ? ["authorization_code", "refresh_token"] : ["client_credentials"]))] as DevServerGrant[];
  if (grants.includes("authorization_code") && redirectUris.length === 0) fail(`client ${client.clientId}: authorization_code needs redirectUris`);
  if (grants.includes("client_credentials") && isPublic) fail(`client ${client.clientId}: client_credentials needs a clientSecret`);
  const postLogoutRedirectUris = [...(client.postLogoutRedirectUris ?? new Set(redirectUris.map((uri) => `${originOf(uri)}/`)))];
  for (const uri of postLogoutRedirectUris) checkRedirectUri(uri, `client ${client.clientId}: post-logout redirect URI`);
  return {
    ...client,
    redirectUris,
    postLogoutRedirectUris,
    grants,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod ?? (basePath === "/auth" ? "client_secret_basic" : "client_secret_post"),
    isPublic,
  };
}

/** Checks and completes the options (throws a TypeError naming the bad option). */
export function resolveOptions(options: SmartbillsDevServerOptions): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail("port must be 0 (any free port) or 1-65535");
  const basePath = options.basePath ?? "";
  if (basePath !== "" && !/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) fail(`basePath must be "" or like "/auth" (no trailing slash)`);
  if (!Array.isArray(options.clients) || options.clients.length === 0) fail("clients: at least one client");
  const seen = new Set<string>();
  const clients = options.clients.map((client) => resolveClient(client, basePath, seen));
  const users = options.users ?? DEFAULT_DEV_USERS;
  if (new Set(users.map((user) => user.sub)).size !== users.length) fail("two users have the same sub");
  const accountHeader = (options.accountHeader ?? "on-behalf-of").toLowerCase();
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(accountHeader)) fail("accountHeader must be an HTTP header name");
  const accessTokenTtl = seconds(options.accessTokenTtlSeconds, 3600, "accessTokenTtlSeconds");
  const log = options.log === false ? () => {} : (options.log ?? ((line: string) => void process.stderr.write(`${line}\n`)));
  return {
    port,
    basePath,
    clients,
    users,
    accessTokenTtl,
    clientCredentialsTtl: seconds(options.clientCredentialsTtlSeconds, accessTokenTtl, "clientCredentialsTtlSeconds"),
    refreshTokenTtl: seconds(options.refreshTokenTtlSeconds, 24 * 60 * 60, "refreshTokenTtlSeconds"),
    idTokenTtl: seconds(options.idTokenTtlSeconds, 60 * 60, "idTokenTtlSeconds"),
    rotation: options.refreshTokenRotation ?? true,
    accountHeader,
    apiCorsOrigins: [...(options.apiCorsOrigins ?? [])],
    log,
  };
}
