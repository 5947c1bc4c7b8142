/**
 * Starts the local Smartbills authorization server on its own, for humans:
 *
 *   npx tsx dev/authServer.cli.ts [--port 4000] [--redirect-uri http://127.0.0.1:5173/callback]... [--access-token-ttl 60]
 *                                 [--shape smartbills | --base-path /auth] [--account-header x-tenant-id]
 *
 * Ctrl-C stops it. The demo launcher and the tests import `startAuthServer` instead.
 */
import { parseArgs } from "node:util";
import { DEFAULT_REDIRECT_URIS, startAuthServer } from "./authServer";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "redirect-uri": { type: "string", multiple: true },
    "public-redirect-uri": { type: "string", multiple: true },
    "allowed-origin": { type: "string", multiple: true },
    "access-token-ttl": { type: "string" },
    // `--shape smartbills` = `--base-path /auth`: the .NET SDK's layout, confidential clients on HTTP Basic only.
    shape: { type: "string" },
    "base-path": { type: "string" },
    "account-header": { type: "string" },
    verbose: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(
    "Usage: npx tsx dev/authServer.cli.ts [--port N] [--redirect-uri URI]... [--public-redirect-uri URI]...\n" +
      "       [--allowed-origin ORIGIN]... [--access-token-ttl SECONDS] [--shape smartbills | --base-path /auth]\n" +
      "       [--account-header NAME] [--verbose]",
  );
  process.exit(0);
}

const number = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
};

if (values.shape !== undefined && values.shape !== "smartbills") throw new Error('--shape takes "smartbills" (everything under /auth, HTTP Basic)');
const basePath = values["base-path"] ?? (values.shape === "smartbills" ? "/auth" : undefined);

const server = await startAuthServer({
  ...(basePath !== undefined && { basePath }),
  ...(values["account-header"] !== undefined && { accountHeader: values["account-header"] }),
  port: number(values.port, "port"),
  redirectUris: values["redirect-uri"],
  publicRedirectUris: values["public-redirect-uri"],
  allowedOrigins: values["allowed-origin"],
  accessTokenTtl: number(values["access-token-ttl"], "access-token-ttl"),
  quiet: !values.verbose,
});

const { issuer, clients, users } = server;
console.log(`Smartbills local authorization server: ${issuer}
  discovery        ${issuer}/.well-known/openid-configuration
  authorize        ${issuer}/connect/authorize
  token            ${issuer}/connect/token
  API              ${server.url}/v1/me   ${server.url}/v1/accounts
  clients          ${clients.confidential.clientId} (secret ${clients.confidential.clientSecret}, ${basePath === "/auth" ? "client_secret_basic" : "client_secret_post"})
                   ${clients.public.clientId} (public, PKCE)
                   ${clients.service.clientId} (secret ${clients.service.clientSecret}, client_credentials)
  redirect URIs    ${(values["redirect-uri"] ?? DEFAULT_REDIRECT_URIS).join(" ")}
  users            ${users.map((user) => `${user.id} (${user.accounts.map((account) => account.id).join(", ")})`).join("; ")} - any password
Ctrl-C to stop.`);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
