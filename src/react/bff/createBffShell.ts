import { toSmartbillsAuthError, type SmartbillsAuthError } from "../../core/errors.js";
import type { SmartbillsClient, SmartbillsClientOptions } from "../clientTypes.js";
import { createExternalStore } from "../externalStore.js";
import { SESSION_QUERY_DEFAULTS } from "../queryDefaults.js";
import { smartbillsKeys } from "../smartbillsKeys.js";
import type { BffClient, BffSessionData } from "./bffTypes.js";

/** The client's methods that need its code: each waits for it at its first call. */
const DEFERRED = "login logout getAccessToken fetch completeCallback endpoints loadUserInfo".split(" ");

/**
 * The backend-for-frontend client as the provider holds it, made at once while its code (see
 * `createBffClient.ts`) is a separate chunk, imported when a provider with `bff` mounts: an app
 * that does not use `bff` carries these few lines, not the mode.
 *
 * What it holds at once is what the hooks read at the first render: the configuration, the login
 * stores, navigation and the session query's options; every method that needs the mode's code
 * waits for the chunk. It has no token client in it, so `SmartbillsBffProvider` carries none.
 *
 * @param bff The provider's `bff` prop: a path on this origin (the session cookie is same-origin
 * and the backend answers no CORS), without a query or a fragment. Anything else throws a
 * `TypeError` naming the prop, at once.
 * @example
 * ```ts
 * const client = createBffShell("/api/smartbills", { config, queryClient })
 * ```
 * @internal
 */
export function createBffShell(bff: unknown, options: SmartbillsClientOptions): SmartbillsClient {
  // eslint-disable-next-line no-control-regex
  if (typeof bff !== "string" || !/^\/(?![/\\])[^\u0000-\u001f\u007f\\?#]*$/.test(bff)) {
    // Short in every build: this is start-up code of apps that do not use bff.
    throw new TypeError('SmartbillsProvider: "bff" must be a path on this origin.');
  }
  const basePath = bff.replace(/\/+$/, "");
  const { onRedirectCallback } = options;
  const queryOptions = {
    ...SESSION_QUERY_DEFAULTS,
    queryKey: smartbillsKeys.session(basePath),
    queryFn: () => load().then((client) => client.loadSession()),
  };
  const shell = {
    config: options.config,
    queryClient: options.queryClient,
    redirecting: createExternalStore(false),
    loginError: createExternalStore<SmartbillsAuthError | null>(null),
    navigate: (returnTo: string) => (onRedirectCallback ? onRedirectCallback(returnTo) : location.assign(returnTo)),
    send: ((input, init) => (options.fetch || fetch)(input, init)) as typeof fetch,
  };
  let loading: Promise<BffClient> | undefined;
  const load = () =>
    (loading ||= import("./createBffClient.js").then(
      (module) => module.createBffClient({ ...options, basePath, queryOptions, redirecting: shell.redirecting, loginError: shell.loginError }),
      (error: unknown) => {
        // A chunk that failed to load (offline, a new deployment) is tried again at the next call.
        loading = undefined;
        throw toSmartbillsAuthError(error, "network_error");
      },
    ));
  const deferred: Record<string, unknown> = {
    tokenQueryOptions: () => queryOptions,
    start() {
      let stop: (() => void) | undefined;
      let live = true;
      // The first load of the session (joined, not repeated, by StrictMode's second start).
      options.queryClient.fetchQuery(queryOptions).catch(() => {});
      load().then((client) => live && (stop = client.start()), () => {});
      return () => {
        live = false;
        stop?.();
      };
    },
    user: (data?: BffSessionData | null) => data?.user ?? null,
  };
  for (const name of DEFERRED) deferred[name] = (...args: unknown[]) => load().then((client) => (client[name as keyof BffClient] as (...values: unknown[]) => unknown)(...args));
  return Object.assign(shell, deferred) as unknown as SmartbillsClient;
}
