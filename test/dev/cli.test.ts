// The smartbills-dev-server command, spawned for real: bad flags → usage + exit 2; a good start prints
// the authority, the users and the provider line, serves, and SIGINT stops it with the port freed.
import { execFile, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CLI_USAGE, parseCliArgs } from "../../src/dev-server/cli";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = ["--import", "tsx", "src/dev-server/bin.ts"];
const run = promisify(execFile);

async function fails(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [...bin, ...args], { cwd: root, timeout: 20_000 }).then(
    () => ({ code: 0, stdout: "", stderr: "" }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

describe("parseCliArgs", () => {
  it("reads every flag, --redirect-uri repeatable", () => {
    expect(parseCliArgs(["--client-id", "a", "--redirect-uri", "http://127.0.0.1:1/cb", "--redirect-uri", "https://x.example/cb", "--client-secret", "s", "--port", "0", "--base-path", "/auth"])).toEqual({
      clientId: "a",
      clientSecret: "s",
      redirectUris: ["http://127.0.0.1:1/cb", "https://x.example/cb"],
      port: 0,
      basePath: "/auth",
    });
    expect(parseCliArgs(["--help"])).toBeNull();
    expect(parseCliArgs(["--client-id", "a", "--redirect-uri", "http://127.0.0.1:1/cb", "--shape", "smartbills"])).toMatchObject({ basePath: "/auth" });
  });

  it.each([
    [["--redirect-uri", "http://127.0.0.1/cb"], /--client-id is required/],
    [["--client-id", "a"], /--redirect-uri is required/],
    [["--client-id", "a", "--redirect-uri", "http://127.0.0.1/cb", "--port", "80x"], /--port must be a whole number/],
    [["--client-id", "a", "--redirect-uri", "http://127.0.0.1/cb", "--port", "70000"], /--port/],
    [["--client-id", "a", "--redirect-uri", "http://127.0.0.1/cb", "extra"], /positional/i],
    [["--client-id"], /argument missing/i],
    [["--client-id", "a", "--redirect-uri", "http://127.0.0.1/cb", "--shape", "auth0"], /--shape takes "smartbills"/],
    [["--client-id", "a", "--redirect-uri", "http://127.0.0.1/cb", "--shape", "smartbills", "--base-path", "/x"], /give one/],
  ])("refuses %j", (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(message);
  });
});

describe("smartbills-dev-server", () => {
  it("answers bad flags with the usage and exit code 2, and starts nothing", async () => {
    for (const args of [["--bogus"], ["--client-id", "a"], ["--client-id", "a", "--redirect-uri", "http://evil.example/cb"]]) {
      const result = await fails(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^smartbills-dev-server: /);
    }
    expect((await fails(["--bogus"])).stderr).toContain(CLI_USAGE);
  }, 60_000);

  it("reports a port in use in one line and exits 1", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = await fails(["--client-id", "a", "--redirect-uri", "http://127.0.0.1:5173/callback", "--port", String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`smartbills-dev-server: startSmartbillsDevServer: port ${port} on 127.0.0.1 is in use (pass port: 0 for a free one)\n`);
    } finally {
      taken.close();
    }
  }, 30_000);

  it("prints the authority, users and a provider line, serves until SIGINT, then frees the port", async () => {
    const child = spawn(process.execPath, [...bin, "--client-id", "my-app", "--redirect-uri", "http://127.0.0.1:5173/callback", "--base-path", "/auth"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    try {
      await expect.poll(() => stdout, { timeout: 20_000 }).toContain("Ctrl-C stops it.");
      const authority = /authority\s+(http:\/\/127\.0\.0\.1:\d+\/auth)/.exec(stdout)?.[1];
      expect(authority).toBeDefined();
      expect(stdout).toContain(`<SmartbillsProvider clientId="my-app" authority="${authority}" discovery>`);
      expect(stdout).toMatch(/users\s+alice \(Alice Martin; accounts acct_alice_store, acct_bakery\); bob/);
      expect(stderr).toContain("for development and tests only");
      const doc = (await (await fetch(`${authority}/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(doc.issuer).toBe(authority);
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(await portFree(Number(new URL(authority!).port))).toBe(true);
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);
});
