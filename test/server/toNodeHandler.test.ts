import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { toNodeHandler, type FetchHandler } from "../../src/server/toNodeHandler";
import { APP_ORIGIN, CLIENT_ID, SECRET, codeForm, createFakeUpstream, expectNoSecret, makeHandler, tokenAnswer } from "./helpers";

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Settles with `promise`, or rejects after `ms`: no test waits unboundedly. */
function within<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface RawAnswer {
  status: number;
  statusMessage: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A plain node:http client, so the test sees raw status lines and repeated headers. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return within(
    new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: options.method ?? "POST", headers: options.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, statusMessage: res.statusMessage!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", reject);
      req.end(options.body);
    }),
  );
}

const form = { "Content-Type": "application/x-www-form-urlencoded", Origin: APP_ORIGIN };

describe("toNodeHandler with node:http", () => {
  it("serves a code exchange end to end, with the handler's status, headers and body", async () => {
    const { handler, upstream } = makeHandler();
    const url = await listen(toNodeHandler(handler));
    const answer = await send(`${url}/api/smartbills/token`, { headers: form, body: codeForm().toString() });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ access_token: "at-1", token_type: "Bearer" });
    expect(answer.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.headers["pragma"]).toBe("no-cache");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    expect(upstream.requests[0]!.body.get("client_secret")).toBe(SECRET);
    expectNoSecret(JSON.stringify(answer));
  });

  it("serves a sign-out DELETE with a form body: 204, the refresh token revoked upstream", async () => {
    const upstream = createFakeUpstream(() => new Response(null, { status: 200 }));
    const { handler } = makeHandler(upstream);
    const url = await listen(toNodeHandler(handler));
    const answer = await send(`${url}/token`, {
      method: "DELETE",
      // node:http sends a DELETE body neither chunked nor sized unless told its length.
      headers: { ...form, "X-Smartbills-Request": "1", "Content-Length": "18" },
      body: "refresh_token=rt-9",
    });
    expect(answer.status).toBe(204);
    expect(answer.body).toBe("");
    expect(upstream.requests.map((r) => [r.url, r.body.get("token")])).toEqual([["https://auth.smartbills.test/connect/revocation", "rt-9"]]);
  });

  it("passes 405 and its Allow header through", async () => {
    const { handler } = makeHandler();
    const url = await listen(toNodeHandler(handler));
    const answer = await send(`${url}/token`, { method: "GET" });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("POST, DELETE");
    expect(JSON.parse(answer.body).error).toBe("invalid_request");
  });

  it("refuses a foreign Origin with 403 and no CORS header", async () => {
    const { handler, upstream } = makeHandler();
    const url = await listen(toNodeHandler(handler));
    const answer = await send(`${url}/token`, { headers: { ...form, Origin: "https://evil.example" }, body: codeForm().toString() });
    expect(answer.status).toBe(403);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    expect(upstream.requests).toHaveLength(0);
  });

  it("builds the Request URL on a fixed base, ignoring Host", async () => {
    let seen = "";
    const url = await listen(
      toNodeHandler(async (request) => {
        seen = request.url;
        return new Response("{}");
      }),
    );
    await send(`${url}/api/token?x=1`, { method: "GET", headers: { Host: "evil.example", "X-Forwarded-Host": "evil.example" } });
    expect(seen).toBe("http://localhost/api/token?x=1");
  });

  it("answers a 10 MB chunked upload with 413 after reading only about the limit", async () => {
    const { handler, upstream } = makeHandler();
    const adapter = toNodeHandler(handler);
    let bytesReadAtAnswer = Number.NaN;
    const url = await listen((req, res) => {
      res.on("finish", () => {
        bytesReadAtAnswer = req.socket.bytesRead;
      });
      adapter(req, res);
    });
    const total = 10 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, "a");
    const result = await within(
      new Promise<{ status: number; sent: number }>((resolve, reject) => {
        let sent = 0;
        const req = httpRequest(`${url}/token`, { method: "POST", headers: { ...form, "Transfer-Encoding": "chunked" } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode!, sent }));
        });
        // The server closes the connection mid-upload; the write side may see EPIPE/ECONNRESET after the answer.
        req.on("error", (error) => (sent >= total ? reject(error) : undefined));
        const pump = () => {
          while (sent < total && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!req.destroyed) req.end();
        };
        pump();
      }),
    );
    expect(result.status).toBe(413);
    expect(bytesReadAtAnswer).toBeLessThan(1024 * 1024);
    expect(upstream.requests).toHaveLength(0);
  });

  it("answers 413 at once for a Content-Length over the limit", async () => {
    const { handler } = makeHandler();
    const url = await listen(toNodeHandler(handler));
    const answer = await send(`${url}/token`, { headers: { ...form, "Content-Length": "20000" }, body: "x".repeat(20000) });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
  });

  it("survives a client that disconnects mid-body and keeps serving", async () => {
    const errors: number[] = [];
    const { handler } = makeHandler(undefined, { onError: (info) => errors.push(info.status) });
    const url = await listen(toNodeHandler(handler));
    const handled = new Promise<void>((resolve) => {
      const check = setInterval(() => errors.length > 0 && (clearInterval(check), resolve()), 5);
    });
    const req = httpRequest(`${url}/token`, { method: "POST", headers: { ...form, "Transfer-Encoding": "chunked" } });
    req.on("error", () => {});
    req.write("grant_type=authorization_code&code=");
    await new Promise((resolve) => setTimeout(resolve, 20));
    req.destroy();
    await within(handled);
    expect(errors).toEqual([400]);
    const answer = await send(`${url}/token`, { headers: form, body: codeForm().toString() });
    expect(answer.status).toBe(200);
  });

  it("survives a client that disconnects while the token endpoint is still answering", async () => {
    let release: () => void = () => {};
    const upstreamCalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const upstream = createFakeUpstream(async () => {
      release();
      await new Promise((resolve) => setTimeout(resolve, 50));
      return tokenAnswer();
    });
    const { handler } = makeHandler(upstream);
    const url = await listen(toNodeHandler(handler));
    const req = httpRequest(`${url}/token`, { method: "POST", headers: form });
    req.on("error", () => {});
    req.end(codeForm().toString());
    await within(upstreamCalled);
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answer = await send(`${url}/token`, { headers: form, body: codeForm().toString() });
    expect(answer.status).toBe(200);
  });

  it("writes the status text, every Set-Cookie and a streamed body faithfully", async () => {
    const url = await listen(
      toNodeHandler(async () => {
        const headers = new Headers({ "X-Custom": "1" });
        headers.append("Set-Cookie", "a=1; Path=/; HttpOnly");
        headers.append("Set-Cookie", "b=2; Path=/; Secure");
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("part1,"));
            controller.enqueue(new TextEncoder().encode("part2"));
            controller.close();
          },
        });
        return new Response(body, { status: 418, statusText: "I'm a teapot", headers });
      }),
    );
    const answer = await send(`${url}/x`, { method: "GET" });
    expect(answer.status).toBe(418);
    expect(answer.statusMessage).toBe("I'm a teapot");
    expect(answer.headers["set-cookie"]).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/; Secure"]);
    expect(answer.headers["x-custom"]).toBe("1");
    expect(answer.body).toBe("part1,part2");
  });

  it("answers 500 JSON, without the error's text, when the handler throws, and keeps serving", async () => {
    let calls = 0;
    const url = await listen(
      toNodeHandler(async () => {
        calls += 1;
        if (calls === 1) throw new Error(`boom ${SECRET}`);
        return new Response("{}", { status: 200 });
      }),
    );
    const failed = await send(`${url}/x`, { method: "GET" });
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ error: "server_error", error_description: "The request handler failed." });
    expectNoSecret(failed.body);
    expect((await send(`${url}/x`, { method: "GET" })).status).toBe(200);
  });

  it("answers a method the Fetch API refuses (TRACE) with 400 JSON", async () => {
    const { handler } = makeHandler();
    const url = await listen(toNodeHandler(handler));
    const answer = await send(`${url}/token`, { method: "TRACE" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toBe("invalid_request");
  });

  it("throws a TypeError when the handler is not a function", () => {
    expect(() => toNodeHandler(undefined as unknown as FetchHandler)).toThrow(TypeError);
  });
});

describe("toNodeHandler behind Express body parsers", () => {
  /** Mimics body-parser: reads the whole body first and leaves the parse result on `req.body`. */
  const parsedBy = (parse: (raw: string) => unknown, adapter: ReturnType<typeof toNodeHandler>) => (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      Object.assign(req, { body: parse(Buffer.concat(chunks).toString("utf8")), _body: true });
      adapter(req, res);
    });
  };
  const urlencoded = (raw: string) => {
    // express.urlencoded(): repeated names become arrays.
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  };

  it("uses a body express.urlencoded() already parsed", async () => {
    const { handler, upstream } = makeHandler();
    const url = await listen(parsedBy(urlencoded, toNodeHandler(handler)));
    const answer = await send(`${url}/token`, { headers: form, body: codeForm().toString() });
    expect(answer.status).toBe(200);
    expect(upstream.requests[0]!.body.get("client_id")).toBe(CLIENT_ID);
  });

  it("still refuses a parameter that express.urlencoded() parsed into an array", async () => {
    const { handler, upstream } = makeHandler();
    const url = await listen(parsedBy(urlencoded, toNodeHandler(handler)));
    const answer = await send(`${url}/token`, { headers: form, body: `${codeForm().toString()}&grant_type=client_credentials` });
    expect(answer.status).toBe(400);
    expect(upstream.requests).toHaveLength(0);
  });

  it("refuses a nested object from the extended (qs) parser as a missing parameter", async () => {
    const { handler, upstream } = makeHandler();
    const url = await listen(parsedBy(() => ({ grant_type: { nested: "authorization_code" } }), toNodeHandler(handler)));
    const answer = await send(`${url}/token`, { headers: form, body: "grant_type[nested]=authorization_code" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error_description).toBe("grant_type is missing.");
    expect(upstream.requests).toHaveLength(0);
  });

  it("uses a string body from express.text()", async () => {
    const { handler } = makeHandler();
    const url = await listen(parsedBy((raw) => raw, toNodeHandler(handler)));
    const answer = await send(`${url}/token`, { headers: form, body: codeForm().toString() });
    expect(answer.status).toBe(200);
  });

  it("uses a Buffer body from express.raw() and still bounds it", async () => {
    const { handler } = makeHandler();
    const url = await listen(parsedBy((raw) => Buffer.from(raw), toNodeHandler(handler)));
    const answer = await send(`${url}/token`, { headers: form, body: `${codeForm().toString()}&pad=${"x".repeat(17_000)}` });
    expect(answer.status).toBe(413);
  });
});
