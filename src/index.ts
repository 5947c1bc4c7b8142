"use client";
/**
 * Sign users in with Smartbills in React: the provider, hooks and components of the browser side.
 *
 * @packageDocumentation
 * @module @smartbills/react
 */
export { SmartbillsProvider, SmartbillsContext, useSmartbillsContext } from "./react/SmartbillsProvider.js";
export type { SmartbillsProviderProps, SmartbillsProviderBaseProps, SmartbillsContextValue } from "./react/SmartbillsProvider.js";
export type { BffSessionData } from "./react/bff/bffTypes.js";
export { SmartbillsBffProvider } from "./react/bff/SmartbillsBffProvider.js";
export type { SmartbillsBffProviderProps } from "./react/bff/SmartbillsBffProvider.js";
export { useSmartbillsLogin } from "./react/useSmartbillsLogin.js";
export type { SmartbillsLogin } from "./react/useSmartbillsLogin.js";
export { useSmartbillsAuth } from "./react/useSmartbillsAuth.js";
export type { SmartbillsAuth } from "./react/useSmartbillsAuth.js";
export { useSmartbillsToken } from "./react/useSmartbillsToken.js";
export { useSmartbillsUserInfo } from "./react/useSmartbillsUserInfo.js";
export { useSmartbillsFetch } from "./react/useSmartbillsFetch.js";
export type { UseSmartbillsFetchOptions } from "./react/useSmartbillsFetch.js";
export { Callback } from "./react/Callback.js";
export type { CallbackProps } from "./react/Callback.js";
export { LoginButton } from "./react/LoginButton.js";
export type { LoginButtonProps } from "./react/LoginButton.js";
export { RequireAuth } from "./react/RequireAuth.js";
export type { RequireAuthProps } from "./react/RequireAuth.js";
export { smartbillsKeys } from "./react/smartbillsKeys.js";
export { createSmartbillsClient } from "./react/SmartbillsClient.js";
export type { LoginOptions, LogoutOptions, CallbackResult, SmartbillsClient, SmartbillsClientLike, SmartbillsClientOptions } from "./react/SmartbillsClient.js";
export type { ExternalStore } from "./react/externalStore.js";
export { SmartbillsAuthError, SmartbillsErrorCodes, isSmartbillsAuthError } from "./core/errors.js";
export type { SmartbillsErrorCode, SmartbillsAuthErrorOptions } from "./core/errors.js";
export type { TokenSet } from "./core/tokenSet.js";
export type { SmartbillsUser } from "./core/idToken.js";
export type { TokenStorage } from "./core/storage.js";
export type { SmartbillsConfig, StorageOption, ResolvedConfig, Endpoints, EndpointsOption } from "./core/config.js";
export { DEFAULT_AUTHORITY, DEFAULT_SCOPE } from "./core/config.js";
