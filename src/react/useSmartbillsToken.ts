import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import type { SmartbillsAuthError } from "../core/errors.js";
import type { TokenSet } from "../core/tokenSet.js";
import { useSmartbillsContext } from "./context.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/**
 * The react-query result that holds the token set, for apps that want it raw (devtools, suspense,
 * `select`). `data` is `null` when signed out; its JSON form redacts the tokens.
 *
 * @example
 * ```tsx
 * const { data: tokenSet, isPending } = useSmartbillsToken()
 * ```
 */
export function useSmartbillsToken(): UseQueryResult<TokenSet | null, SmartbillsAuthError> {
  const { client } = useSmartbillsContext(process.env.NODE_ENV !== "production" ? "useSmartbillsToken" : undefined);
  return useQuery(client.tokenQueryOptions(), client.queryClient);
}
