import { toSmartbillsAuthError } from "../../core/errors.js";
import type { SmartbillsAuthError } from "../../core/errors.js";
import type { SmartbillsClient, SmartbillsClientOptions } from "../clientTypes.js";
import { createExternalStore } from "../externalStore.js";
import { bffQueryOptions } from "./bffQueryOptions.js";
import type { BffClient, BffSessionData } from "./bffTypes.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** The client's methods that need its code: each waits for it at its first call. */
const DEFERRED = "login logout getAccessToken fetch completeCallback endpoints loadUserInfo navigate send".split(" ");

/**
 * Checks the provider's `bff` prop: a path on this origin (the session cookie is same-origin and
 * the backend answers no CORS), without a query or a fragment. Throws at once, naming the prop.
 * Returns it without trailing slashes.
 *
 * @example bffBasePath("/api/smartbills/") // "/api/smartbills"
 * @internal
 */
export function bffBasePath(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  if (typeof value !== "string" || !/^\/(?![/\\])[^\u0000-\u001f\u007f\\?#]*$/.test(value)) {
    throw new TypeError(`SmartbillsProvider: "bff" ${process.env.NODE_ENV !== "production" ? 'must be a path on this origin, like "/api/smartbills"' : "is invalid"}.`);
  }
  return value.replace(/\/+$/, "");
}

/**
 * The backend-for-frontend client as the provider holds it: made at once, while its code (see
 * `createBffClient.ts`) is a separate chunk, imported at start-up of a BFF app only. So an app
 * that does not use `bff` carries these few lines, not the mode. Every method waits for the chunk.
 *
 * @example
 * ```ts
 * const client = createBffShell("/api/smartbills", { config, queryClient })
 * ```
 * @internal
 */
export function createBffShell(basePath: string, options: SmartbillsClientOptions): SmartbillsClient {
  const { queryClient, config } = options;
  const redirecting = createExternalStore(false);
  const loginError = createExternalStore<SmartbillsAuthError | null>(null);
  const queryOptions = bffQueryOptions(basePath, () => load().then((client) => client.loadSession()));
  let loading: Promise<BffClient> | undefined;
  const load = () =>
    (loading ||= import("./createBffClient.js").then(
      (module) => module.createBffClient({ ...options, basePath, queryOptions, redirecting, loginError }),
      (error: unknown) => {
        // A chunk that failed to load (offline, a new deployment) is tried again at the next call.
        loading = undefined;
        throw toSmartbillsAuthError(error, "network_error");
      },
    ));
  const shell: Record<string, unknown> = {
    config,
    queryClient,
    redirecting,
    loginError,
    tokenQueryOptions: () => queryOptions,
    start() {
      let stop: (() => void) | undefined;
      let live = true;
      // The first load of the session (joined, not repeated, by StrictMode's second start).
      queryClient.fetchQuery(queryOptions).catch(() => {});
      load().then((client) => live && (stop = client.start()), () => {});
      return () => {
        live = false;
        stop?.();
      };
    },
    user: (data?: BffSessionData | null) => data?.user ?? null,
  };
  for (const name of DEFERRED) shell[name] = (...args: unknown[]) => load().then((client) => (client[name as keyof BffClient] as (...values: unknown[]) => unknown)(...args));
  return shell as unknown as SmartbillsClient;
}
