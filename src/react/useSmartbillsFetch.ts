import { useCallback } from "react";
import { useSmartbillsContext } from "./context.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** Options of {@link useSmartbillsFetch}. */
export interface UseSmartbillsFetchOptions {
  /**
   * A connected account to act for; overrides the provider's `onBehalfOf`. `null` sends no
   * `on-behalf-of` header at all (e.g. to list the user's own accounts).
   */
  onBehalfOf?: string | null;
}

/**
 * `fetch` with the user's access token: adds `Authorization: Bearer …` (and `on-behalf-of` where
 * set), refreshes first when the token is due, and after a 401 refreshes once and retries once.
 * It sends the token only to this app's origin, the authority's and `apiOrigins`; any other URL
 * rejects with `untrusted_origin` before a request is made.
 *
 * @example
 * ```tsx
 * const smartbillsFetch = useSmartbillsFetch()
 * const res = await smartbillsFetch("https://api.smartbills.io/v1/receipts")
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function useSmartbillsFetch(options?: UseSmartbillsFetchOptions): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const { client, onBehalfOf } = useSmartbillsContext(process.env.NODE_ENV !== "production" ? "useSmartbillsFetch" : undefined);
  // Unset: the provider's account. null: none at all.
  const account = options?.onBehalfOf === undefined ? onBehalfOf : (options.onBehalfOf ?? undefined);
  return useCallback((input: RequestInfo | URL, init?: RequestInit) => client.fetch(input, init, account), [client, account]);
}
