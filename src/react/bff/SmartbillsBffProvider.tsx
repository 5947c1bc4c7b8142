import type { ReactNode } from "react";
import type { SmartbillsClient, SmartbillsClientOptions } from "../clientTypes.js";
import { ProviderCore } from "../ProviderCore.js";
import { configKey, providerConfig, type SmartbillsProviderProps } from "../providerConfig.js";
import { createBffShell } from "./createBffShell.js";

/** Props of {@link SmartbillsBffProvider}: those of `<SmartbillsProvider bff=…>`. */
export type SmartbillsBffProviderProps = Extract<SmartbillsProviderProps, { bff: string }>;

/**
 * `<SmartbillsProvider bff="/api/smartbills">`, for an app that only ever runs in the
 * backend-for-frontend mode: the same hooks and components, and the smallest bundle, since it
 * carries none of the token client (a runtime `bff` prop cannot let a bundler drop it).
 *
 * @example
 * ```tsx
 * <SmartbillsBffProvider bff="/api/smartbills">
 *   <App />
 * </SmartbillsBffProvider>
 * ```
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#section-6.1
 */
export function SmartbillsBffProvider(props: SmartbillsBffProviderProps): ReactNode {
  return <ProviderCore props={props} makeClient={makeClient} configKey={configKey(props)} />;
}

function makeClient(props: SmartbillsBffProviderProps, options: Omit<SmartbillsClientOptions, "config">): SmartbillsClient {
  return createBffShell(props.bff, { ...options, config: providerConfig(props) });
}
