import { checkIssuer, parseCallback } from "../core/callback.js";
import { SmartbillsAuthError, toSmartbillsAuthError } from "../core/errors.js";
import { exchangeCode, type ExchangeTransport } from "../core/exchange.js";
import { checkNewIdToken } from "../core/idToken.js";
import { isOAuthErrorCode } from "../core/oauthErrorCode.js";
import { sanitizeReturnTo } from "../core/returnTo.js";
import { createTransactionStore } from "../core/transaction.js";
import type { CallbackResult } from "./clientTypes.js";

/**
 * Finishes a sign-in from the authorization response at `href`: the response's checks (duplicates,
 * `iss`, `state` against the pending login, the server's error), the code exchange, then the ID
 * token's checks (issuer, audience, expiry, this login's nonce) before anything is kept. Loaded on
 * the callback page only (a dynamic import).
 */
export async function finishSignIn(href: string, clientId: string, issuer: string, transport: () => Promise<ExchangeTransport>, now: () => number): Promise<CallbackResult> {
  let params: ReturnType<typeof parseCallback>;
  try {
    params = parseCallback(new URL(href).search);
  } catch (error) {
    throw toSmartbillsAuthError(error, "invalid_callback");
  }
  checkIssuer(params.iss, issuer);
  const transaction = createTransactionStore(clientId).take(params.state, now());
  if (params.kind === "error") {
    // The server's own code is kept, if it looks like one.
    throw new SmartbillsAuthError(isOAuthErrorCode(params.error) ? params.error : "invalid_callback", { description: params.errorDescription });
  }
  // The redirect URI and code verifier come from the transaction (exchangeCode sends only those and the code).
  const tokenSet = await exchangeCode(await transport(), { ...transaction, code: params.code });
  checkNewIdToken(tokenSet.idToken, undefined, { issuer, clientId, nonce: transaction.nonce, now: now() });
  // Sanitised again: the stored transaction is writable by any script on the page.
  return { tokenSet, returnTo: sanitizeReturnTo(transaction.returnTo, location.origin) };
}
