import { createContext, useContext } from "react";
import type { SmartbillsClientLike } from "./clientTypes.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

// The context lives apart from the providers, so that a hook pulls in neither client: an app on
// SmartbillsBffProvider carries no token client, and one on SmartbillsProvider no BFF client.

/** What the hooks read from the provider. Stable across renders unless the configuration changes. */
export interface SmartbillsContextValue {
  client: SmartbillsClientLike;
  /** The provider's connected account, sent as `on-behalf-of` by `useSmartbillsFetch`. */
  onBehalfOf: string | undefined;
}

/** The context behind every hook; exported for the testing entry, which provides its own value. */
export const SmartbillsContext = createContext<SmartbillsContextValue | null>(null);

/**
 * Reads the provider. Throws (rather than returning undefined) when there is none, so a missing
 * provider is found at the first render, not at the first sign-in.
 *
 * @param hookName Who asks, for the development build's error message. The hooks pass it only in
 * development (`DEV ? "useSmartbillsAuth" : undefined`), so production bundles carry no hook names.
 */
export function useSmartbillsContext(hookName?: string): SmartbillsContextValue {
  const value = useContext(SmartbillsContext);
  if (!value) {
    throw new Error(
      process.env.NODE_ENV !== "production" ? `${hookName || "useSmartbillsContext"} must be used inside <SmartbillsProvider> (or <MockSmartbillsProvider> in tests).` : "No SmartbillsProvider",
    );
  }
  return value;
}
