/// <reference types="node" />
/**
 * `smartbills-dev-server`: one client, the test users, on 127.0.0.1 until Ctrl-C. Prints the
 * authority, the users and a ready `<SmartbillsProvider …>` line. Bad flags: the usage and exit 2.
 */
import { parseArgs } from "node:util";
import { startSmartbillsDevServer } from "./start.js";
import type { SmartbillsDevServer } from "./types.js";

export const CLI_USAGE = `Usage: smartbills-dev-server --client-id ID --redirect-uri URL [--redirect-uri URL]...
                             [--client-secret S] [--port N] [--base-path /auth | --shape smartbills]
                             [--account-header NAME] [--access-token-ttl SECONDS]

A local Smartbills authorization server on 127.0.0.1, for development and tests only (any password signs in).
Without --client-secret the client is public (PKCE, CORS from the redirect URIs' origins).`;

/** What the CLI runs with, parsed from argv. */
export interface CliConfig {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  port: number;
  basePath: string;
  accountHeader?: string;
  accessTokenTtlSeconds?: number;
}

/** A bad command line: the CLI prints the message and the usage, and exits 2. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

const whole = (value: string | undefined, flag: string, min: number, max: number): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= min && parsed <= max)) throw new CliUsageError(`${flag} must be a whole number from ${min} to ${max}`);
  return parsed;
};

/** Parses argv (without `node` and the script); throws {@link CliUsageError}, or returns null for `--help`. */
export function parseCliArgs(argv: string[]): CliConfig | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
        "redirect-uri": { type: "string", multiple: true },
        port: { type: "string" },
        "base-path": { type: "string" },
        // The .NET SDK's layout by name: the same as --base-path /auth.
        shape: { type: "string" },
        "account-header": { type: "string" },
        "access-token-ttl": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return null;
  const clientId = values["client-id"];
  if (!clientId) throw new CliUsageError("--client-id is required");
  const redirectUris = values["redirect-uri"] ?? [];
  if (redirectUris.length === 0) throw new CliUsageError("--redirect-uri is required");
  const ttl = whole(values["access-token-ttl"], "--access-token-ttl", 1, 86_400);
  if (values.shape !== undefined && values.shape !== "smartbills") throw new CliUsageError('--shape takes "smartbills" (the same as --base-path /auth)');
  if (values.shape !== undefined && values["base-path"] !== undefined) throw new CliUsageError("--shape and --base-path: give one");
  return {
    clientId,
    ...(values["client-secret"] !== undefined && { clientSecret: values["client-secret"] }),
    redirectUris,
    port: whole(values.port, "--port", 0, 65_535) ?? 0,
    basePath: values["base-path"] ?? (values.shape === "smartbills" ? "/auth" : ""),
    ...(values["account-header"] !== undefined && { accountHeader: values["account-header"] }),
    ...(ttl !== undefined && { accessTokenTtlSeconds: ttl }),
  };
}

const attr = (value: string): string => JSON.stringify(value);

/** The lines printed once the server is up: authority, users, and the provider line to paste. */
export function startBanner(dev: SmartbillsDevServer, config: CliConfig): string {
  const redirect = config.redirectUris[0] ?? "";
  const redirectOrigin = URL.parse(redirect)?.origin;
  const props = [`clientId=${attr(config.clientId)}`, `authority=${attr(dev.authority)}`];
  if (dev.basePath !== "") props.push("discovery");
  if (redirect !== `${redirectOrigin}/callback`) props.push(`redirectUri=${attr(redirect)}`);
  if (config.clientSecret !== undefined) props.push(`exchangeEndpoint="/api/smartbills/token"`);
  if (config.accountHeader !== undefined) props.push(`accountHeader=${attr(config.accountHeader)}`);
  const auth = dev.basePath === "/auth" ? "client_secret_basic" : "client_secret_post";
  const users = dev.users.map((user) => `${user.sub} (${user.name}${user.accounts?.length ? `; accounts ${user.accounts.map((a) => a.id).join(", ")}` : ""})`);
  return [
    `Smartbills dev server (development only, any password signs in)`,
    `  authority   ${dev.authority}`,
    `  discovery   ${dev.authority}/.well-known/openid-configuration`,
    `  API         ${dev.url}/v1/me`,
    `  client      ${config.clientId} (${config.clientSecret === undefined ? "public, PKCE" : `confidential, ${auth}`})`,
    `  users       ${users.join("; ")}`,
    ``,
    `  <SmartbillsProvider ${props.join(" ")}>`,
    ...(config.clientSecret !== undefined
      ? [`  backend:    createTokenHandler({ clientId: ${attr(config.clientId)}, clientSecret, authority: ${attr(dev.authority)}, allowedRedirectUris: [${config.redirectUris.map(attr).join(", ")}]${dev.basePath === "/auth" ? ', clientAuthentication: "client_secret_basic"' : ""} })`]
      : []),
    ``,
    `Ctrl-C stops it.`,
  ].join("\n");
}

/** Streams and process hooks, so the CLI can run under test. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  onStop(stop: () => void): void;
}

/** Runs the CLI; resolves with the exit code once the server stopped (or at once for bad flags). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let config: CliConfig | null;
  try {
    config = parseCliArgs(argv);
  } catch (error) {
    io.err(`smartbills-dev-server: ${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}\n`);
    return 2;
  }
  if (config === null) {
    io.out(`${CLI_USAGE}\n`);
    return 0;
  }
  let dev: SmartbillsDevServer;
  try {
    dev = await startSmartbillsDevServer({
      port: config.port,
      basePath: config.basePath,
      clients: [{ clientId: config.clientId, redirectUris: config.redirectUris, ...(config.clientSecret !== undefined && { clientSecret: config.clientSecret }) }],
      ...(config.accountHeader !== undefined && { accountHeader: config.accountHeader }),
      ...(config.accessTokenTtlSeconds !== undefined && { accessTokenTtlSeconds: config.accessTokenTtlSeconds }),
      log: (line) => io.err(`${line}\n`),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`smartbills-dev-server: ${message}\n`);
    return error instanceof TypeError ? 2 : 1;
  }
  io.out(`${startBanner(dev, config)}\n`);
  await new Promise<void>((resolve) => io.onStop(resolve));
  await dev.close();
  return 0;
}
