/// <reference types="node" />
/**
 * The dev server itself: listens on 127.0.0.1 (the issuer needs the port), builds the provider,
 * wires the HTTP layer, and hands back a handle whose `close()` frees the port. The provider is
 * handed out too, for this package's demo only; the published entry (./start.ts) drops it, so no
 * published declaration names an oidc-provider type.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Client, Provider } from "oidc-provider";
import { providerConfiguration } from "./configuration.js";
import { createRequestListener, installProviderMiddleware, type RateLimit } from "./http.js";
import { loadProvider, quietly } from "./loadProvider.js";
import { checkRedirectUri, originOf, resolveOptions, type ResolvedOptions } from "./options.js";
import { signInOnPage } from "./signIn.js";
import type { DevServerApiRequest, DevServerTokenRequest, SmartbillsDevServer, SmartbillsDevServerOptions } from "./types.js";

/** The handle plus the provider itself, for this package's own demo and tests (not part of the entry). */
export interface DevServerInternals {
  server: SmartbillsDevServer;
  provider: Provider;
}

async function listen(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`startSmartbillsDevServer: port ${port} on 127.0.0.1 is in use (pass port: 0 for a free one)`)
          : error,
      );
    };
    server.once("error", onError);
    // Loopback only, whatever the caller wants: this server accepts any password.
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
  return server;
}

function closer(server: Server): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
}

/** Starts a dev server and returns it with its provider (see `startSmartbillsDevServer`). */
export async function startDevServerInternals(input: SmartbillsDevServerOptions): Promise<DevServerInternals> {
  const options: ResolvedOptions = resolveOptions(input);
  const { Provider: ProviderClass, interactionPolicy } = await loadProvider();
  const server = await listen(options.port);
  const close = closer(server);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const authority = `${url}${options.basePath}`;

  const extraRedirects = new Map(options.clients.map((client) => [client.clientId, new Set<string>()]));
  const redirectsOf = (clientId: string): string[] => [
    ...(options.clients.find((client) => client.clientId === clientId)?.redirectUris ?? []),
    ...(extraRedirects.get(clientId) ?? []),
  ];
  const originsOfClients = (clients: typeof options.clients): Set<string> =>
    new Set(clients.flatMap((client) => redirectsOf(client.clientId).map(originOf)).filter((o): o is string => o !== null));

  let provider: Provider;
  try {
    const configuration = providerConfiguration(options, interactionPolicy, redirectsOf);
    provider = await quietly(() => new ProviderClass(authority, configuration));
  } catch (error) {
    await close(); // an invalid configuration must not leave the port taken
    throw error;
  }

  // Redirect URIs registered after start are accepted besides the static ones.
  const proto = provider.Client.prototype;
  const staticRedirect = proto.redirectUriAllowed;
  const staticPostLogout = proto.postLogoutRedirectUriAllowed;
  proto.redirectUriAllowed = function redirectUriAllowed(this: Client, value: string): boolean {
    return staticRedirect.call(this, value) || (extraRedirects.get(this.clientId)?.has(value) ?? false);
  };
  proto.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(this: Client, value: string): boolean {
    return staticPostLogout.call(this, value) || [...(extraRedirects.get(this.clientId) ?? [])].some((uri) => value === `${originOf(uri)}/`);
  };
  // Messages only, never a request body or a token.
  const onError = (what: string, error: unknown): void => options.log(`[smartbills dev server] ${what}: ${error instanceof Error ? error.message : String(error)}`);
  provider.on("server_error", (_ctx: unknown, error: unknown) => onError("server_error", error));

  const requests: DevServerTokenRequest[] = [];
  const apiRequests: DevServerApiRequest[] = [];
  const rateLimit: RateLimit = { remaining: 0, seconds: 1 };
  installProviderMiddleware(provider, requests, options.basePath === "/auth");
  server.on(
    "request",
    createRequestListener(
      {
        options,
        provider,
        log: apiRequests,
        tokenLog: requests,
        rateLimit,
        onError,
        corsOrigins: () => new Set([...options.apiCorsOrigins, ...originsOfClients(options.clients)]),
        publicOrigins: () => originsOfClients(options.clients.filter((client) => client.isPublic)),
      },
      options.basePath,
      url,
    ),
  );

  options.log(`Smartbills dev server at ${authority}: for development and tests only (any password signs in), never for production.`);

  const handle: SmartbillsDevServer = {
    url,
    authority,
    issuer: authority,
    port,
    basePath: options.basePath,
    users: options.users,
    clients: options.clients.map(({ isPublic: _isPublic, ...client }) => client),
    requests,
    apiRequests,
    resetRequests() {
      requests.length = 0;
      apiRequests.length = 0;
    },
    addRedirectUris(clientId, uris) {
      const set = extraRedirects.get(clientId);
      if (!set) throw new TypeError(`addRedirectUris: no client ${JSON.stringify(clientId)}`);
      for (const uri of uris) checkRedirectUri(uri, "addRedirectUris: redirect URI");
      for (const uri of uris) set.add(uri);
    },
    rateLimitNext(count, retryAfterSeconds = 1) {
      if (!Number.isInteger(count) || count < 0 || !Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
        throw new TypeError("rateLimitNext: count and retryAfterSeconds must be whole numbers ≥ 0");
      }
      rateLimit.remaining = count;
      rateLimit.seconds = retryAfterSeconds;
    },
    signIn: (page, signInOptions) => signInOnPage(page, url, options.basePath, signInOptions),
    close,
  };
  return { server: handle, provider };
}
