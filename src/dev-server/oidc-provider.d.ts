/**
 * Minimal typings for the parts of `oidc-provider` 9 that the dev server (`src/dev-server/`) uses: the
 * package ships no types, and `@types/oidc-provider` is not a dependency. Never referenced by a
 * published declaration file (the dev server's public types are its own).
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    application_type?: "web" | "native";
    scope?: string;
    [key: string]: unknown;
  }

  export interface Client {
    readonly clientId: string;
    readonly clientAuthMethod: string;
    readonly redirectUris: string[];
    readonly postLogoutRedirectUris?: string[];
    grantTypeAllowed(type: string): boolean;
    redirectUriAllowed(value: string): boolean;
    postLogoutRedirectUriAllowed(value: string): boolean;
  }

  export interface ClientStatic {
    find(id: string): Promise<Client | undefined>;
    readonly prototype: Client;
  }

  export interface BaseToken {
    readonly jti: string;
    readonly clientId?: string;
    readonly exp?: number;
    readonly iat?: number;
    readonly scope?: string;
    readonly isExpired: boolean;
    readonly remainingTTL: number;
  }

  export interface AccessToken extends BaseToken {
    readonly accountId: string;
    readonly grantId?: string;
    readonly expiresWithSession?: boolean;
  }

  export type ClientCredentials = BaseToken;

  export interface RefreshToken extends BaseToken {
    readonly accountId: string;
    readonly grantId?: string;
  }

  export interface Grant {
    readonly jti: string;
    readonly accountId?: string;
    readonly clientId?: string;
    readonly isExpired: boolean;
  }

  export interface TokenStatic<T> {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<T | undefined>;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims?: unknown, rejected?: string[]): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface GrantSource {
    readonly scopes: Set<string>;
  }

  export interface OIDCContext {
    readonly route?: string;
    readonly body?: Record<string, unknown>;
    readonly params?: Record<string, unknown>;
    readonly client?: Client;
    readonly entities: Record<string, unknown> & { RotatedRefreshToken?: RefreshToken; Client?: Client; IdTokenHint?: unknown };
  }

  /** The Koa context oidc-provider hands to middleware and configuration hooks (only what is used here). */
  export interface KoaContextWithOIDC {
    readonly method: string;
    readonly path: string;
    status: number;
    body: unknown;
    type: string;
    get(field: string): string;
    set(field: string, value: string): void;
    readonly oidc?: OIDCContext;
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export interface Configuration {
    clients?: ClientMetadata[];
    routes?: Record<string, string>;
    scopes?: string[];
    claims?: Record<string, string[] | null>;
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    features?: Record<string, Record<string, unknown>>;
    ttl?: Record<string, number | ((ctx: KoaContextWithOIDC, token: any, client: Client) => number)>;
    cookies?: { keys?: string[]; [key: string]: unknown };
    findAccount?: (ctx: KoaContextWithOIDC, id: string, token?: unknown) => Promise<Account | undefined>;
    rotateRefreshToken?: boolean | ((ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, source: GrantSource) => boolean | Promise<boolean>;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    renderError?: (ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error) => void | Promise<void>;
    [key: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    readonly Client: ClientStatic;
    readonly AccessToken: TokenStatic<AccessToken>;
    readonly ClientCredentials: TokenStatic<ClientCredentials>;
    readonly RefreshToken: TokenStatic<RefreshToken>;
    readonly Grant: TokenStatic<Grant>;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    use(middleware: Middleware): this;
    on(event: string, listener: (...args: any[]) => void): this;
  }

  export interface InteractionCheck {
    readonly reason: string;
  }
  export interface InteractionPrompt {
    readonly name: string;
    readonly checks: InteractionCheck[];
  }
  export type InteractionPolicy = InteractionPrompt[] & { get(name: string): InteractionPrompt | undefined };

  export const errors: Record<string, new (...args: any[]) => Error>;
  export const interactionPolicy: {
    base(): InteractionPolicy;
    Check: {
      new (
        reason: string,
        description: string,
        error: string,
        check: (ctx: KoaContextWithOIDC & { oidc: OIDCContext & { session: { accountId?: string }; account?: Account } }) => boolean | Promise<boolean>,
      ): InteractionCheck;
      readonly REQUEST_PROMPT: true;
      readonly NO_NEED_TO_PROMPT: false;
    };
  };
  export default Provider;
}
