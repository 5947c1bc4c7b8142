import type { Query, QueryCacheNotifyEvent, QueryClient } from "@tanstack/react-query";
import { nextRefreshAt, type RefreshState } from "../core/refreshTiming.js";
import type { TokenSet } from "../core/tokenSet.js";

/** What the schedule needs from the client. */
export interface RefreshScheduleDeps {
  queryClient: QueryClient;
  /** The token query, built as useQuery would build it. */
  tokenQuery(): Query<TokenSet | null, Error, TokenSet | null, readonly unknown[]>;
  /** Loads or refreshes the session when due (joining a load under way). */
  ensureFresh(): Promise<unknown>;
  needsRefresh(tokenSet: TokenSet): boolean;
  canRefresh(tokenSet: TokenSet): boolean;
  /** Shared with the client, which counts failures and records `Retry-After`. */
  state: RefreshState;
  now(): number;
}

/**
 * Keeps the session fresh in the background: one timer set from the token's expiry (see
 * {@link nextRefreshAt}), re-armed by every change of the token query, and a check at once when
 * the page wakes up (timers may have been frozen) or comes back online. Returns its stop function.
 */
export function startRefreshSchedule(deps: RefreshScheduleDeps): () => void {
  const { queryClient, tokenQuery, state, ensureFresh, needsRefresh, canRefresh, now: clock } = deps;
  const browser = typeof window !== "undefined";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const { queryHash } = tokenQuery();
  const refreshNow = () => {
    // Either way the schedule goes on: after a failure (the query holds it for the UI), and after a
    // check that found nothing to do (another tab refreshed meanwhile), which no cache event follows.
    ensureFresh().then(schedule, schedule);
  };
  function schedule() {
    clearTimeout(timer);
    const { data, fetchStatus } = tokenQuery().state;
    if (stopped || !data || fetchStatus === "fetching") return;
    const now = clock();
    const at = nextRefreshAt(data, now, state, { refreshable: canRefresh(data), due: needsRefresh(data) });
    timer = setTimeout(refreshNow, Math.min(at - now, 2 ** 31 - 1));
  }
  // The query is read through the cache, not a QueryObserver, so the app may remove or reset it
  // (queryClient.clear(), resetQueries()): then the session is loaded again, as a mounted
  // useQuery would do. An error leaves the status "error", so this never loops; only at start
  // (no event) is a failed first load tried again, as a mounting useQuery would. Other than
  // "updated", events (observers coming and going) leave the schedule, and its jitter, alone.
  const check = (event?: QueryCacheNotifyEvent) => {
    const { data, status, fetchStatus } = tokenQuery().state;
    if (data === undefined && fetchStatus === "idle" && (!event || status === "pending")) refreshNow();
    else if (!event || event.type === "updated") schedule();
  };
  const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
    if (event.query.queryHash === queryHash) check(event);
  });
  // Waking up (a laptop lid, a background tab, a train leaving a tunnel): check at once, once only.
  const wake = (event: Event) => {
    if (document.visibilityState === "hidden") return;
    const online = event.type === "online";
    if (online) state.failures = 0;
    const { data, error } = tokenQuery().state;
    // Back online after a failure (even a first load that never got data): try again at once,
    // unless the server asked for a pause (Retry-After), which the schedule honours.
    if (clock() >= state.notBefore && ((online && error) || (data && needsRefresh(data)))) refreshNow();
    else schedule();
  };
  const listen = (add: boolean) => {
    if (!browser) return;
    const method = add ? "addEventListener" : "removeEventListener";
    window[method]("online", wake);
    document[method]("visibilitychange", wake);
  };
  listen(true);
  check();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
    listen(false);
  };
}
