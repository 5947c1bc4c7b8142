import type { QueryClient } from "@tanstack/react-query";
import type { Endpoints, ResolvedConfig } from "../core/config.js";

/**
 * The endpoints the browser talks to. Without `discovery`, the configuration's, at once and with no
 * request; with it, from the authority's metadata (see `discovery.ts`, a module loaded only then,
 * so an app without discovery does not bundle it).
 */
export function createEndpointResolver(config: ResolvedConfig, queryClient: QueryClient, fetchImpl: typeof fetch): () => Promise<Endpoints> {
  if (!config.discovery) return () => Promise.resolve(config.endpoints);
  let discover: Promise<() => Promise<Endpoints>> | undefined;
  return async () => (await (discover ||= import("./discovery.js").then((module) => module.discoverEndpoints(config, queryClient, fetchImpl))))();
}
