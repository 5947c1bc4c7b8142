// A real Redis for the tests: Debian's /usr/bin/redis-server on a free 127.0.0.1 port with a temp dir
// (AOF on, so a restart keeps every session), started and stopped by the tests themselves.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REDIS_SERVER = process.env["REDIS_SERVER"] ?? "/usr/bin/redis-server";

export interface TestRedis {
  port: number;
  url: string;
  /** Stops the server (SIGTERM: AOF flushed) and waits until the port is closed. */
  stop(): Promise<void>;
  /** Starts it again on the same port and dir (after stop), waiting until PING answers. */
  start(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  /** Stops it for good and removes the temp dir. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `PING` gets `+PONG` within `ms`. */
export function ping(port: number, ms = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    let text = "";
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      text += chunk.toString();
      if (text.includes("\r\n")) done(text.startsWith("+PONG"));
    });
    socket.on("error", () => done(false));
  });
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`test redis: ${what} within ${ms} ms`);
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "smartbills-redis-"));
  let child: ChildProcess | null = null;

  const start = async () => {
    if (child) return;
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""];
    const spawned = spawn(REDIS_SERVER, args, { stdio: ["ignore", "ignore", "pipe"] });
    child = spawned;
    // A test process that dies without afterAll must not leave a redis-server behind.
    const reap = () => spawned.kill("SIGKILL");
    process.once("exit", reap);
    spawned.once("exit", () => process.off("exit", reap));
    let stderr = "";
    spawned.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const exited = new Promise<boolean>((resolve) => spawned.once("exit", () => resolve(false)));
    spawned.once("exit", () => {
      if (child === spawned) child = null;
    });
    try {
      await until(() => Promise.race([ping(port), exited]), "PING answered");
    } catch (error) {
      spawned.kill("SIGKILL");
      throw new Error(`${(error as Error).message}; stderr: ${stderr}`);
    }
  };

  const stop = async () => {
    const running = child;
    if (!running) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGTERM");
    const timer = setTimeout(() => running.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    child = null;
    await until(async () => !(await ping(port, 100)), "port closed");
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A connected node-redis (v5) client, errors listened (node-redis throws unlistened ones). */
export async function nodeRedisClient(url: string) {
  const { createClient } = await import("redis");
  const client = createClient({ url, socket: { reconnectStrategy: (retries: number) => Math.min(50 + retries * 50, 300) } });
  client.on("error", () => {});
  await client.connect();
  return {
    client,
    close: () => {
      if (client.isOpen) client.destroy();
    },
  };
}

/** A connected ioredis (v5) client, errors listened. */
export async function ioRedisClient(url: string) {
  const { Redis } = await import("ioredis");
  const client = new Redis(url, { lazyConnect: true, retryStrategy: (times: number) => Math.min(50 + times * 50, 300) });
  client.on("error", () => {});
  await client.connect();
  return { client, close: () => client.disconnect() };
}
