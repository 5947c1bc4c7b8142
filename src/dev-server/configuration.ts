/// <reference types="node" />
/**
 * The oidc-provider configuration of a dev server: Smartbills' `/connect/*` paths, PKCE S256 for
 * every client, the users' claims (`name` and `email` always, in the ID token and userinfo),
 * lifetimes, rotation, client authentication and CORS.
 */
import { randomBytes } from "node:crypto";
import type { Account, Client, ClientMetadata, Configuration, KoaContextWithOIDC, interactionPolicy as InteractionPolicyApi } from "oidc-provider";
import type { ResolvedClient, ResolvedOptions } from "./options.js";
import { originOf } from "./options.js";
import { logoutSource, postLogoutSuccessSource, renderError } from "./pages.js";
import { DEV_SERVER_ROUTES } from "./routes.js";

export const SUPPORTED_SCOPES: readonly string[] = Object.freeze(["openid", "offline_access", "profile", "email", "api"]);

/** Redirect URIs of a client, the static ones and those added after start. */
export type RedirectsOf = (clientId: string) => string[];

function clientMetadata(client: ResolvedClient): ClientMetadata {
  const signIn = client.grants.includes("authorization_code");
  return {
    client_id: client.clientId,
    ...(client.clientSecret !== undefined && { client_secret: client.clientSecret }),
    client_name: client.clientId,
    token_endpoint_auth_method: client.isPublic ? "none" : client.tokenEndpointAuthMethod,
    grant_types: [...client.grants],
    response_types: signIn ? ["code"] : [],
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
    ...(client.grants.includes("client_credentials") && { scope: client.scope ?? "api" }),
  };
}

function accountFinder(options: ResolvedOptions): Configuration["findAccount"] {
  const users = new Map(options.users.map((user) => [user.sub, user]));
  return async (_ctx: KoaContextWithOIDC, id: string): Promise<Account | undefined> => {
    const user = users.get(id);
    if (!user) return undefined; // unknown login: the login page is shown again (see the policy)
    return {
      accountId: user.sub,
      claims: () => ({ sub: user.sub, name: user.name, email: user.email, preferred_username: user.sub, email_verified: true }),
    };
  };
}

/** The dev login accepts any login; one that is no known user would crash consent. Ask again instead. */
function loginPolicy(api: typeof InteractionPolicyApi): ReturnType<typeof InteractionPolicyApi.base> {
  const policy = api.base();
  const { Check } = api;
  policy.get("login")?.checks.push(
    new Check("unknown_account", "the signed-in login is not a known user", "login_required", (ctx) =>
      ctx.oidc.session.accountId !== undefined && ctx.oidc.account === undefined ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
    ),
  );
  return policy;
}

/** Builds the configuration; `redirectsOf` gives a client's redirect URIs as of now (CORS follows it). */
export function providerConfiguration(options: ResolvedOptions, api: typeof InteractionPolicyApi, redirectsOf: RedirectsOf): Configuration {
  const basic = options.basePath === "/auth";
  const originsOf = (clientId: string): Set<string> =>
    new Set(redirectsOf(clientId).map(originOf).filter((origin): origin is string => origin !== null));
  return {
    clients: options.clients.map(clientMetadata),
    routes: { ...DEV_SERVER_ROUTES },
    scopes: [...SUPPORTED_SCOPES],
    // name and email with `openid` already: apps on the library's default scope know who signed in.
    claims: { openid: ["sub", "name", "email"], profile: ["name", "preferred_username"], email: ["email", "email_verified"] },
    // Scope claims in the ID token too (oidc-provider puts them only in userinfo by default).
    conformIdTokenClaims: false,
    clientAuthMethods: basic ? ["client_secret_basic", "none"] : ["client_secret_post", "client_secret_basic", "none"],
    pkce: { required: () => true },
    responseTypes: ["code"],
    findAccount: accountFinder(options),
    interactions: { policy: loginPolicy(api) },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      // Off: every authorization request goes through /connect/authorize, as at Smartbills.
      pushedAuthorizationRequests: { enabled: false },
    },
    ttl: {
      AccessToken: options.accessTokenTtl,
      ClientCredentials: options.clientCredentialsTtl,
      IdToken: options.idTokenTtl,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Session: 24 * 60 * 60,
      Grant: Math.max(options.refreshTokenTtl, 24 * 60 * 60),
      RefreshToken: (ctx, _token, client) => {
        // Public clients: a rotated refresh token keeps its predecessor's expiry (no endless sliding).
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        if (rotated && client.clientAuthMethod === "none") return Math.max(1, rotated.remainingTTL);
        return options.refreshTokenTtl;
      },
    },
    rotateRefreshToken: () => options.rotation,
    // `offline_access` asks for a refresh token; the HTTP layer adds prompt=consent, without which it is dropped.
    issueRefreshToken: (_ctx, client, source) => client.grantTypeAllowed("refresh_token") && source.scopes.has("offline_access"),
    // Browser calls to the token, revocation and introspection endpoints: public clients only, from their own origins.
    clientBasedCORS: (ctx, origin, client) => {
      if (origin === "null") return false;
      const browserClient = client.clientAuthMethod === "none" || ctx.oidc?.route === "userinfo";
      return browserClient && originsOf(client.clientId).has(origin);
    },
    renderError,
  };
}

async function introspectionAllowed(ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string }): Promise<boolean> {
  // Public clients may introspect only their own tokens.
  return !(client.clientAuthMethod === "none" && token.clientId !== ctx.oidc?.client?.clientId);
}

async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string }): Promise<boolean> {
  return token.clientId === client.clientId;
}
