/**
 * The OpenIddict/IdentityServer-style paths of the dev server, relative to its base path (so under
 * `basePath: "/auth"` the token endpoint is `/auth/connect/token`).
 *
 * @example
 * const tokenUrl = `${dev.authority}${DEV_SERVER_ROUTES.token}`;
 */
export const DEV_SERVER_ROUTES = Object.freeze({
  authorization: "/connect/authorize",
  token: "/connect/token",
  userinfo: "/connect/userinfo",
  introspection: "/connect/introspect",
  revocation: "/connect/revocation",
  end_session: "/connect/endsession",
  jwks: "/connect/jwks",
});
