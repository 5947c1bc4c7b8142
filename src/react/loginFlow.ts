import { buildAuthorizeUrl } from "../core/authorizeUrl.js";
import type { ResolvedConfig } from "../core/config.js";
import { createPkcePair } from "../core/pkce.js";
import { createState } from "../core/random.js";
import { sanitizeReturnTo } from "../core/returnTo.js";
import { createTransactionStore } from "../core/transaction.js";
import type { LoginOptions } from "./clientTypes.js";

/**
 * Prepares a sign-in: a fresh PKCE pair (S256), `state` and, with the `openid` scope, `nonce`,
 * kept in sessionStorage for the callback; returns the authorize URL. Loaded when the user first
 * signs in (a dynamic import), so an app's start-up code does not carry PKCE and URL building.
 */
export async function prepareLogin(config: ResolvedConfig, authorizeEndpoint: string, redirectUri: string, options: LoginOptions, now: number): Promise<string> {
  const returnTo = sanitizeReturnTo(options.returnTo ?? location.pathname + location.search + location.hash, location.origin);
  const scope = options.scope ?? config.scope;
  const { codeVerifier, codeChallenge } = await createPkcePair();
  const state = createState();
  // OpenID Connect: the ID token must carry this login's nonce, so a token minted for another
  // login cannot be injected into this one.
  const nonce = /(^|\s)openid(\s|$)/.test(scope) ? createState() : undefined;
  // Built before the transaction is saved: a bad extraParams throws and leaves nothing behind.
  // (prompt, loginHint and extraParams come from the options; the flow's own parameters win.)
  const url = buildAuthorizeUrl({ ...options, authorizeEndpoint, clientId: config.clientId, redirectUri, scope, state, nonce, codeChallenge });
  createTransactionStore(config.clientId).save({ state, codeVerifier, redirectUri, returnTo, createdAt: now, nonce });
  return url;
}
