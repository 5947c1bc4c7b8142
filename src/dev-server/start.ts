/**
 * `startSmartbillsDevServer`, the published start function (the provider stays inside).
 */
import { startDevServerInternals } from "./server.js";
import type { SmartbillsDevServer, SmartbillsDevServerOptions } from "./types.js";

/**
 * Starts a local Smartbills authorization server on 127.0.0.1, for an app's own end-to-end tests and
 * local development: no Smartbills account, no network, any password. Never for production.
 *
 * @example
 * const dev = await startSmartbillsDevServer({
 *   clients: [{ clientId: "my-app", redirectUris: ["http://127.0.0.1:5173/callback"] }],
 * });
 * // <SmartbillsProvider clientId="my-app" authority={dev.authority} … />, then in Playwright:
 * await dev.signIn(page, { login: "alice" });
 * await dev.close();
 */
export async function startSmartbillsDevServer(options: SmartbillsDevServerOptions): Promise<SmartbillsDevServer> {
  return (await startDevServerInternals(options)).server;
}
