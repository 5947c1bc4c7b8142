/**
 * The backend half of `@smartbills/react`: the exchange endpoint, its node:http adapter, and the
 * client-credentials client. Fetch API only; never imports React.
 *
 * @packageDocumentation
 * @module @smartbills/react/server
 */
export { createTokenHandler } from "./server/createTokenHandler.js";
export type { TokenHandler, TokenHandlerErrorInfo, TokenHandlerOptions, RefreshTokenCookieOptions } from "./server/createTokenHandler.js";
export { toNodeHandler } from "./server/toNodeHandler.js";
export type { FetchHandler, Listener, NodeHandler, NodeIncomingMessage, NodeServerResponse } from "./server/toNodeHandler.js";
export { createClientCredentialsClient } from "./server/createClientCredentialsClient.js";
export type { ClientCredentialsClient, ClientCredentialsClientOptions, ClientCredentialsFetchInit } from "./server/createClientCredentialsClient.js";
export type { ClientAuthenticationMethod } from "./server/clientAuthentication.js";
export { SmartbillsAuthError, SmartbillsErrorCodes, isSmartbillsAuthError } from "./core/errors.js";
export type { SmartbillsErrorCode } from "./core/errors.js";
export * from "./server/bff/index.js";
export type { SmartbillsUser } from "./core/idToken.js";
