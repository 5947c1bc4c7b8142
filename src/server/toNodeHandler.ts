/**
 * A Fetch-API handler, such as the one `createTokenHandler` returns.
 *
 * @example
 * ```ts
 * const hello: FetchHandler = async () => new Response("hi")
 * ```
 * @see https://fetch.spec.whatwg.org/#request-class
 */
export type FetchHandler = (request: Request) => Promise<Response>;

/** An event listener of a Node stream, as far as the adapter needs one. */
export type Listener = (...args: unknown[]) => void;

/**
 * The parts of `node:http`'s `IncomingMessage` the adapter uses. Declared here rather than imported
 * so that neither the runtime (edge bundles) nor the types (consumers without `@types/node`) depend
 * on Node; every `IncomingMessage`, Express's `Request` included, fits.
 *
 * @example
 * ```ts
 * const req: NodeIncomingMessage = incomingMessage // from node:http
 * ```
 * @see https://nodejs.org/api/http.html#class-httpincomingmessage
 */
export interface NodeIncomingMessage {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  readonly complete: boolean;
  readonly readableEnded: boolean;
  readonly destroyed: boolean;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  pause(): unknown;
  resume(): unknown;
}

/**
 * The parts of `node:http`'s `ServerResponse` the adapter uses (see {@link NodeIncomingMessage}).
 *
 * @example
 * ```ts
 * const res: NodeServerResponse = serverResponse // from node:http
 * ```
 * @see https://nodejs.org/api/http.html#class-httpserverresponse
 */
export interface NodeServerResponse {
  statusCode: number;
  statusMessage: string;
  readonly headersSent: boolean;
  readonly writableFinished: boolean;
  setHeader(name: string, value: string | readonly string[]): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: string): unknown;
  destroy(): unknown;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

/**
 * A `node:http` / Express request handler: it accepts `(req: IncomingMessage, res: ServerResponse)`.
 *
 * @example
 * ```ts
 * const listener: NodeHandler = toNodeHandler(tokenHandler); createServer(listener)
 * ```
 * @see https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener
 */
export type NodeHandler = (req: NodeIncomingMessage, res: NodeServerResponse) => void;

/**
 * The URL base of the `Request` given to the handler. Fixed on purpose: `Host` and
 * `X-Forwarded-*` are caller-controlled, so nothing is derived from them.
 */
const BASE_URL = "http://localhost";
/** Hop-by-hop headers describe the Node connection, not the request; a `Request` must not carry them. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "http2-settings"]);
const MAX_PARSED_DEPTH = 5;

/**
 * Adapts a Fetch-API handler to `node:http` and Express: builds a `Request` from the Node request
 * (method, headers, a body streamed on demand, so a size bound in the handler stops the upload
 * after that many bytes), and writes the `Response`'s status, headers (every `Set-Cookie` kept) and
 * body back. A client that disconnects mid-way cannot crash the process.
 *
 * Express: mount it before any body parser, or let it be. When `express.text()`/`express.raw()` left
 * a string or Buffer in `req.body`, that is used as the body; when `express.urlencoded()` already
 * parsed it into an object, the object is re-encoded as a form (repeated names stay repeated, so the
 * handler still refuses them); otherwise the stream is read.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http"
 * const tokenHandler = createTokenHandler({ clientId, clientSecret, allowedRedirectUris })
 * const toToken = toNodeHandler(tokenHandler)
 * createServer((req, res) => req.url === "/api/smartbills/token" ? toToken(req, res) : res.writeHead(404).end()).listen(3000)
 * // Express: app.all("/api/smartbills/token", toNodeHandler(tokenHandler))
 * ```
 * @throws TypeError when `handler` is not a function.
 * @see https://fetch.spec.whatwg.org/#request-class
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1 (hop-by-hop fields)
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  if (typeof handler !== "function") throw new TypeError('toNodeHandler: "handler" must be a function.');
  return (req, res) => {
    void serve(handler, req, res);
  };
}

async function serve(handler: FetchHandler, req: NodeIncomingMessage, res: NodeServerResponse): Promise<void> {
  let closed = false;
  const aborter = new AbortController();
  // Without these listeners a reset connection would raise an unhandled 'error' event.
  req.on("error", noop);
  res.on("error", noop);
  res.on("close", () => {
    closed = true;
    if (!res.writableFinished) aborter.abort();
  });
  try {
    let request: Request;
    try {
      request = toRequest(req, aborter.signal);
    } catch {
      // Node accepts methods (TRACE, TRACK) and header bytes the Fetch API refuses.
      writeFallback(res, 400, "invalid_request", "The request could not be read.");
      return;
    }
    const response = await handler(request);
    if (closed) {
      response.body?.cancel().catch(noop);
      return;
    }
    await writeResponse(req, res, response, () => closed);
  } catch {
    if (!res.headersSent && !closed) writeFallback(res, 500, "server_error", "The request handler failed.");
    else res.destroy();
  }
}

function toRequest(req: NodeIncomingMessage, signal: AbortSignal): Request {
  const method = (req.method ?? "GET").toUpperCase();
  const path = typeof req.url === "string" && req.url.startsWith("/") ? req.url : "/";
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":") || HOP_BY_HOP.has(name)) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (typeof value === "string") headers.append(name, value);
  }
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
  if (method !== "GET" && method !== "HEAD") {
    const body = bodyOf(req);
    if (body.kind === "stream") {
      init.body = streamOf(req);
      init.duplex = "half";
    } else {
      // The original length no longer describes a re-encoded body.
      headers.delete("content-length");
      init.body = body.value;
    }
  }
  let url: URL;
  try {
    url = new URL(BASE_URL + path);
  } catch {
    url = new URL(BASE_URL);
  }
  return new Request(url, init);
}

type Body = { kind: "stream" } | { kind: "value"; value: string | Uint8Array<ArrayBuffer> };

function bodyOf(req: NodeIncomingMessage): Body {
  const parsed = (req as NodeIncomingMessage & { body?: unknown }).body;
  if (typeof parsed === "string") return { kind: "value", value: parsed };
  // Copied: a Buffer may be a view into a larger pooled ArrayBuffer.
  if (parsed instanceof Uint8Array) return { kind: "value", value: new Uint8Array(parsed) };
  // body-parser marks the request it consumed with `_body`; Express 4 sets `req.body = {}` even when
  // it did not read the stream, so an object alone does not mean the body is gone.
  const consumed = req.readableEnded || (req as NodeIncomingMessage & { _body?: unknown })._body === true;
  if (!consumed) return { kind: "stream" };
  if (typeof parsed === "object" && parsed !== null) return { kind: "value", value: encodeParsed(parsed as Record<string, unknown>) };
  return { kind: "value", value: "" };
}

function encodeParsed(parsed: Record<string, unknown>): string {
  const form = new URLSearchParams();
  const add = (name: string, value: unknown, depth: number): void => {
    if (value === undefined || value === null) return;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") form.append(name, String(value));
    else if (Array.isArray(value)) for (const item of value) add(name, item, depth + 1);
    // qs's nested objects come back under bracketed names, which no OAuth parameter has.
    else if (typeof value === "object" && depth < MAX_PARSED_DEPTH) for (const [key, item] of Object.entries(value)) add(`${name}[${key}]`, item, depth + 1);
  };
  for (const [name, value] of Object.entries(parsed)) add(name, value, 0);
  return form.toString();
}

/**
 * A pull-based stream over the Node request: data flows only while the consumer reads, so a
 * consumer that stops at a byte limit leaves the rest of the upload unread (TCP backpressure).
 */
function streamOf(req: NodeIncomingMessage): ReadableStream<Uint8Array> {
  let started = false;
  let detach = noop;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (started) {
          req.resume();
          return;
        }
        started = true;
        const onData: Listener = (chunk) => {
          controller.enqueue(typeof chunk === "string" ? new TextEncoder().encode(chunk) : (chunk as Uint8Array));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        };
        const onEnd = () => {
          detach();
          controller.close();
        };
        const onError = () => {
          detach();
          controller.error(new Error("The request body could not be read."));
        };
        const onClose = () => {
          if (!req.complete) onError();
        };
        detach = () => {
          detach = noop;
          req.off("data", onData);
          req.off("end", onEnd);
          req.off("error", onError);
          req.off("close", onClose);
        };
        req.on("data", onData);
        req.on("end", onEnd);
        req.on("error", onError);
        req.on("close", onClose);
        if (req.destroyed && !req.complete) onError();
      },
      cancel() {
        detach();
        req.pause();
      },
    },
    new CountQueuingStrategy({ highWaterMark: 1 }),
  );
}

async function writeResponse(req: NodeIncomingMessage, res: NodeServerResponse, response: Response, isClosed: () => boolean): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  // The handler left part of the upload unread (a 413, or it never needed the body): close the
  // connection instead of letting Node drain megabytes to keep it alive.
  if (!req.complete) res.setHeader("Connection", "close");
  if (response.body === null || req.method === "HEAD") {
    response.body?.cancel().catch(noop);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (isClosed()) {
        reader.cancel().catch(noop);
        return;
      }
      if (!res.write(value)) await drained(res, isClosed);
    }
  } catch {
    // The body failed half-way: end the connection so the client sees a truncated answer, not a complete one.
    res.destroy();
    return;
  }
  res.end();
}

function drained(res: NodeServerResponse, isClosed: () => boolean): Promise<void> {
  if (isClosed()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function writeFallback(res: NodeServerResponse, status: number, error: string, description: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json;charset=UTF-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Pragma", "no-cache");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Connection", "close");
  res.end(JSON.stringify({ error, error_description: description }));
}

function noop(): void {}
