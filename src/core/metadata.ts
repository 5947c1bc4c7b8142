import { SmartbillsAuthError, toSmartbillsAuthError } from "./errors.js";

/**
 * The fields of an authorization server's metadata the library reads (OpenID Connect Discovery 1.0,
 * RFC 8414); every other field is kept as served.
 *
 * @example
 * ```ts
 * const { token_endpoint } = await fetchMetadata("https://api.smartbills.io/auth", { fetch })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  introspection_endpoint?: string;
  token_endpoint_auth_methods_supported?: string[];
  revocation_endpoint_auth_methods_supported?: string[];
  [field: string]: unknown;
}

/** Options of {@link fetchMetadata}. */
export interface FetchMetadataOptions {
  fetch: typeof fetch;
  /** The issuer the document must name. Default: the authority. */
  expectedIssuer?: string;
  /** Default 10 000 ms, whatever `fetch` does with the abort signal. */
  timeoutMs?: number;
}

/** A discovery document is a few kilobytes; more is a misconfiguration or an attack on memory. */
export const MAX_METADATA_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

/**
 * Where the authority's metadata lives: appended to the authority's path, as OpenID Connect
 * Discovery does, so `https://api.smartbills.io/auth` works.
 *
 * @example
 * ```ts
 * discoveryUrl("https://api.smartbills.io/auth") // "https://api.smartbills.io/auth/.well-known/openid-configuration"
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function discoveryUrl(authority: string): string {
  return `${authority.replace(/\/$/, "")}/.well-known/openid-configuration`;
}

/**
 * Trusts a metadata document only if it names the expected issuer (the mix-up defence of RFC 8414
 * §3.3) and every endpoint is https (http only on loopback). Throws `invalid_metadata` otherwise.
 *
 * @example
 * ```ts
 * const metadata = validateMetadata(await response.json(), "https://api.smartbills.io")
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function validateMetadata(doc: unknown, expectedIssuer: string): AuthorizationServerMetadata {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw invalid("The metadata is not a JSON object.");
  const metadata = doc as AuthorizationServerMetadata;
  const trim = (value: string) => value.replace(/\/$/, "");
  if (typeof metadata.issuer !== "string" || trim(metadata.issuer) !== trim(expectedIssuer) || !isSafeUrl(metadata.issuer)) {
    throw invalid("The metadata names another issuer.");
  }
  for (const [field, value] of Object.entries(metadata)) {
    if (field.endsWith("_endpoint") && (typeof value !== "string" || !isSafeUrl(value))) {
      throw invalid(`The metadata's ${field.slice(0, 40)} is not an https URL.`);
    }
  }
  for (const field of ["token_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported"] as const) {
    const value = metadata[field];
    if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === "string"))) {
      throw invalid(`The metadata's ${field} is not a list of strings.`);
    }
  }
  return metadata;
}

/**
 * Reads and validates the authority's metadata: one GET, no redirect followed (a 3xx is refused),
 * at most {@link MAX_METADATA_BYTES} read, JSON only, bounded in time. A refused document is
 * `invalid_metadata`; no answer at all (offline, a timeout, a 5xx) is `network_error`, worth retrying.
 *
 * @example
 * ```ts
 * const metadata = await fetchMetadata(authority, { fetch: globalThis.fetch })
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest
 */
export async function fetchMetadata(authority: string, options: FetchMetadataOptions): Promise<AuthorizationServerMetadata> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Raced, not only aborted: a custom fetch that ignores the signal must not hold the caller.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SmartbillsAuthError("network_error", { description: "The metadata request timed out." }));
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([load(authority, options, controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function load(authority: string, options: FetchMetadataOptions, signal: AbortSignal): Promise<AuthorizationServerMetadata> {
  let response: Response;
  try {
    response = await options.fetch(discoveryUrl(authority), {
      method: "GET",
      headers: { Accept: "application/json" },
      redirect: "manual",
      credentials: "omit",
      referrerPolicy: "no-referrer",
      signal,
    });
  } catch (error) {
    throw toSmartbillsAuthError(error, "network_error");
  }
  const { status } = response;
  if (status >= 500 || status === 429) {
    await response.body?.cancel().catch(() => undefined);
    throw new SmartbillsAuthError("network_error", { description: `The metadata endpoint is unavailable (HTTP ${status}).`, status });
  }
  // A browser's manual redirect is an opaque response with status 0.
  if (status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw invalid(`The metadata endpoint answered HTTP ${status}.`, status);
  }
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(response.headers.get("content-type") ?? "")) {
    await response.body?.cancel().catch(() => undefined);
    throw invalid("The metadata is not JSON.", status);
  }
  const text = await readBounded(response);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid("The metadata is not JSON.", status);
  }
  return validateMetadata(doc, options.expectedIssuer ?? authority);
}

async function readBounded(response: Response): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > MAX_METADATA_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw invalid("The metadata document is too large.");
  }
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_METADATA_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw invalid("The metadata document is too large.");
      }
      chunks.push(value);
    }
  } catch (error) {
    throw toSmartbillsAuthError(error, "network_error");
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid("The metadata is not UTF-8 text.");
  }
}

function isSafeUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username || url.password || url.hash) return false;
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.includes(url.hostname));
  } catch {
    return false;
  }
}

function invalid(description: string, status?: number): SmartbillsAuthError {
  return new SmartbillsAuthError("invalid_metadata", { description, status });
}
