import { readBoundedBytes } from "./readBoundedBytes.js";
import { cancelBody, fail, type Answer } from "./tokenHandlerAnswer.js";
import type { TokenHandlerConfig } from "./tokenHandlerConfig.js";

const FORM_TYPE = "application/x-www-form-urlencoded";
/** Client authentication is this server's job; a caller that sends its own is confused or probing. */
const CALLER_CLIENT_AUTH = ["client_secret", "client_assertion", "client_assertion_type"] as const;

/**
 * Reads and checks the form body every token handler request carries (POST and `DELETE`): the
 * content type (415), the declared and the actual size (413, reading no more than the limit), a
 * stalled body (408), UTF-8 and percent-encoding (400), repeated parameters (400, RFC 6749 §3.2),
 * caller-sent client authentication and a foreign `client_id` (400). Returns the parameters, or
 * the answer that refuses the request.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @internal
 */
export async function readTokenForm(config: TokenHandlerConfig, request: Request): Promise<URLSearchParams | Answer> {
  if (!isFormContentType(request.headers.get("content-type"))) {
    cancelBody(request);
    return fail(415, "invalid_request", `Send the parameters as ${FORM_TYPE} (UTF-8).`);
  }
  const declaredLength = request.headers.get("content-length");
  if (declaredLength !== null) {
    if (!/^\d{1,15}$/.test(declaredLength.trim())) {
      cancelBody(request);
      return fail(400, "invalid_request", "The Content-Length header is malformed.");
    }
    if (Number(declaredLength.trim()) > config.maxBodyBytes) {
      cancelBody(request);
      return tooLarge(config);
    }
  }

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), config.timeoutMs);
  const read = await readBoundedBytes(request.body, config.maxBodyBytes, deadline.signal).finally(() => clearTimeout(timer));
  if (read.kind === "too_large") return tooLarge(config);
  if (read.kind === "timeout") return fail(408, "invalid_request", "The request body did not arrive in time.");
  if (read.kind === "failed") return fail(400, "invalid_request", "The request body could not be read.");

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    return fail(400, "invalid_request", "The request body is not valid UTF-8.");
  }
  const params = parseForm(text);
  if (params === null) return fail(400, "invalid_request", "The request body is not a valid form (malformed percent-encoding).");

  // RFC 6749 §3.2: parameters must not repeat; which copy wins would be up to each parser.
  const names = [...params.keys()];
  if (new Set(names).size !== names.length) return fail(400, "invalid_request", "A parameter is repeated.");
  if (CALLER_CLIENT_AUTH.some((name) => params.has(name))) {
    return fail(400, "invalid_request", "Do not send client_secret or a client assertion; this server authenticates the client itself.");
  }
  const clientId = formValue(params, "client_id");
  if (clientId !== undefined && clientId !== config.clientId) {
    // Not invalid_client (401): that code is reserved for our own credentials being refused upstream.
    return fail(400, "invalid_request", "client_id is not the client this endpoint serves.");
  }
  return params;
}

/** RFC 6749 §3.2: a parameter without a value is treated as omitted. @internal */
export function formValue(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name);
  return v === null || v === "" ? undefined : v;
}

function isFormContentType(header: string | null): boolean {
  if (header === null) return false;
  const [type = "", ...parameters] = header.split(";");
  if (type.trim().toLowerCase() !== FORM_TYPE) return false;
  // We decode UTF-8 only; a body declared in another charset would be misread.
  return parameters.every((parameter) => {
    const [key = "", raw = ""] = parameter.split("=", 2);
    return key.trim().toLowerCase() !== "charset" || raw.trim().replace(/^"(.*)"$/, "$1").toLowerCase() === "utf-8";
  });
}

/**
 * URLSearchParams silently keeps a malformed `%` escape as text and turns an invalid UTF-8 escape
 * into U+FFFD; both are refused instead, so what we forward is what the caller meant.
 */
function parseForm(text: string): URLSearchParams | null {
  for (const pair of text.split("&")) {
    try {
      decodeURIComponent(pair.replace(/\+/g, " "));
    } catch {
      return null;
    }
  }
  return new URLSearchParams(text);
}

function tooLarge(config: TokenHandlerConfig): Answer {
  return fail(413, "invalid_request", `The request body is larger than ${config.maxBodyBytes} bytes.`);
}
