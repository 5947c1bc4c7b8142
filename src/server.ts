export { createTokenHandler } from "./server/createTokenHandler";
export type { TokenHandler, TokenHandlerErrorInfo, TokenHandlerOptions, RefreshTokenCookieOptions } from "./server/createTokenHandler";
export { toNodeHandler } from "./server/toNodeHandler";
export type { FetchHandler, NodeHandler, NodeIncomingMessage, NodeServerResponse } from "./server/toNodeHandler";
export { createClientCredentialsClient } from "./server/createClientCredentialsClient";
export type { ClientCredentialsClient, ClientCredentialsClientOptions, ClientCredentialsFetchInit } from "./server/createClientCredentialsClient";
export { SmartbillsAuthError, SmartbillsErrorCodes, isSmartbillsAuthError } from "./core/errors";
export type { SmartbillsErrorCode } from "./core/errors";
