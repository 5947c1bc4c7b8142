import type { ReactNode } from "react";
import { createBffShell } from "./bff/createBffShell.js";
import type { SmartbillsClient, SmartbillsClientOptions } from "./clientTypes.js";
import { ProviderCore } from "./ProviderCore.js";
import { configKey, providerConfig, type SmartbillsProviderProps } from "./providerConfig.js";
import { createSmartbillsClient } from "./SmartbillsClient.js";

export type { SmartbillsProviderBaseProps, SmartbillsProviderProps } from "./providerConfig.js";

export { SmartbillsContext, useSmartbillsContext } from "./context.js";
export type { SmartbillsContextValue } from "./context.js";

/**
 * Signs users in with Smartbills: wrap the app in it once. It holds no token state of its own: the
 * token lives in a react-query query of the app's `QueryClient`, refreshed before it expires.
 * A wrong configuration throws at once, naming the prop.
 *
 * @example
 * ```tsx
 * <SmartbillsProvider clientId="YOUR_CLIENT_ID" exchangeEndpoint="/api/smartbills/token">
 *   <App />
 * </SmartbillsProvider>
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export function SmartbillsProvider(props: SmartbillsProviderProps): ReactNode {
  return <ProviderCore props={props} makeClient={makeClient} configKey={configKey(props)} />;
}

function makeClient(props: SmartbillsProviderProps, options: Omit<SmartbillsClientOptions, "config">): SmartbillsClient {
  const config = providerConfig(props);
  return props.bff === undefined ? createSmartbillsClient({ ...options, config }) : createBffShell(props.bff, { ...options, config });
}
