/**
 * `@smartbills/react/dev-server`: a local Smartbills authorization server for an app's own end-to-end
 * tests and local development (Node only). It runs on `oidc-provider`, an optional peer dependency:
 * install it as a dev dependency (`npm install --save-dev oidc-provider`); importing this entry
 * without it fails with one line saying so.
 *
 * @example
 * import { startSmartbillsDevServer } from "@smartbills/react/dev-server";
 * const dev = await startSmartbillsDevServer({ clients: [{ clientId: "my-app", redirectUris: ["http://127.0.0.1:5173/callback"] }] });
 *
 * @packageDocumentation
 */
import { loadProvider } from "./dev-server/loadProvider.js";

// Fail at import, in one line, when the peer is missing (not later, inside a test's beforeAll).
await loadProvider();

export { startSmartbillsDevServer } from "./dev-server/start.js";
export { DEFAULT_DEV_USERS, isAllowedRedirectUri } from "./dev-server/options.js";
export { DEV_SERVER_ROUTES } from "./dev-server/routes.js";
export { MISSING_PROVIDER_MESSAGE } from "./dev-server/missingPeer.js";
export type {
  DevServerAccount,
  DevServerApiRequest,
  DevServerClient,
  DevServerClientAuthMethod,
  DevServerGrant,
  DevServerPage,
  DevServerSignInOptions,
  DevServerSignInResult,
  DevServerTokenRequest,
  DevServerUser,
  SmartbillsDevServer,
  SmartbillsDevServerOptions,
} from "./dev-server/types.js";
