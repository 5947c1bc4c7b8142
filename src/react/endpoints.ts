import type { QueryClient } from "@tanstack/react-query";
import type { Endpoints, ResolvedConfig } from "../core/config.js";
import { toSmartbillsAuthError } from "../core/errors.js";

/**
 * The endpoints the browser talks to. Without `discovery`, the configuration's, at once and with no
 * request; with it, from the authority's metadata (see `discovery.ts`, a module loaded only then,
 * so an app without discovery does not bundle it).
 */
export function createEndpointResolver(config: ResolvedConfig, queryClient: QueryClient, fetchImpl: typeof fetch): () => Promise<Endpoints> {
  if (!config.discovery) return () => Promise.resolve(config.endpoints);
  let discover: Promise<() => Promise<Endpoints>> | undefined;
  // A chunk that failed to load (offline, a new deployment) is asked for again next time.
  const load = () =>
    import("./discovery.js").then(
      (module) => module.discoverEndpoints(config, queryClient, fetchImpl),
      (error: unknown) => {
        discover = undefined;
        throw toSmartbillsAuthError(error, "network_error");
      },
    );
  return async () => (await (discover ||= load()))();
}
