import type { QueryObserverOptions } from "@tanstack/react-query";
import type { SmartbillsAuthError } from "../../core/errors.js";
import type { TokenSet } from "../../core/tokenSet.js";
import { smartbillsKeys } from "../smartbillsKeys.js";

/**
 * The options of the session query (`smartbillsKeys.session(basePath)`), shared by the provider's
 * shell and the lazily loaded client so both build the very same query. Refetching is the
 * client's (tab visible again, before the session's end, after a logout elsewhere): the hooks read
 * the cache without an observer, so react-query's own focus refetch would never fire.
 *
 * @internal
 */
export function bffQueryOptions(basePath: string, queryFn: () => Promise<TokenSet | null>) {
  return {
    queryKey: smartbillsKeys.session(basePath) as readonly unknown[],
    queryFn,
    // Never stale, so no observer's mount, focus or reconnect refetches it (those flags need not be
    // set); never collected, though the hooks read it without an observer.
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
    // Offline, react-query would pause the fetch forever; a prompt network_error is wanted.
    networkMode: "always",
  } satisfies QueryObserverOptions<TokenSet | null, SmartbillsAuthError, TokenSet | null, TokenSet | null, readonly unknown[]>;
}
