/**
 * `npm run demo`'s command line with the backend-for-frontend flags: every wrong combination stops
 * with the usage text and exit code 2 before anything starts; the old flags mean what they meant.
 * (No browser needed.)
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDemoFlags } from "../../demo/flags";

const root = resolve(import.meta.dirname, "../..");

describe("npm run demo flags", () => {
  it("no flags: the confidential client as before; --public, --storage, --shape, --account-header unchanged", () => {
    expect(parseDemoFlags([])).toEqual({ flags: { mode: "confidential", shape: "default" } });
    expect(parseDemoFlags(["--public"])).toEqual({ flags: { mode: "public", shape: "default" } });
    expect(parseDemoFlags(["--storage", "cookie", "--shape", "smartbills", "--account-header", "x-tenant-id"])).toEqual({
      flags: { mode: "confidential", shape: "smartbills", storage: "cookie", accountHeader: "x-tenant-id" },
    });
  });

  it("--mode bff, alone or with --redis, --shape and --account-header", () => {
    expect(parseDemoFlags(["--mode", "bff"])).toEqual({ flags: { mode: "bff", shape: "default" } });
    expect(parseDemoFlags(["--mode", "bff", "--redis", "redis://127.0.0.1:6379"])).toEqual({ flags: { mode: "bff", shape: "default", redisUrl: "redis://127.0.0.1:6379" } });
    expect(parseDemoFlags(["--redis", "rediss://cache.internal:6380/2", "--mode", "bff", "--shape", "smartbills"])).toMatchObject({ flags: { mode: "bff", shape: "smartbills" } });
    expect(parseDemoFlags(["--help"])).toEqual({ help: true });
  });

  it.each([
    [["--redis", "redis://127.0.0.1:6379"], /--redis needs --mode bff/],
    [["--mode", "public", "--redis", "redis://127.0.0.1:6379"], /--redis needs --mode bff/],
    [["--mode", "bff", "--redis", "http://127.0.0.1:6379"], /redis:\/\/ or rediss:\/\//],
    [["--mode", "bff", "--redis", "not a url"], /redis:\/\/ or rediss:\/\//],
    [["--mode", "bff", "--redis"], /--redis needs a value/],
    [["--mode", "bff", "--storage", "cookie"], /--storage is for the token modes/],
    [["--mode", "bff", "--public"], /--public contradicts --mode bff/],
    [["--mode", "tokens"], /--mode must be confidential, public or bff/],
    [["--mode", "bff", "--mode", "bff"], /given twice/],
    [["--public", "--storage", "cookie"], /needs the confidential mode/],
    [["--shape", "dotnet"], /--shape must be/],
    [["--account-header", "x tenant"], /--account-header needs a header name/],
    [["--mode=bff"], /unknown argument/],
  ])("refuses %j", (argv, message) => {
    const parsed = parseDemoFlags(argv);
    expect(parsed).toHaveProperty("error");
    expect((parsed as { error: string }).error).toMatch(message);
  });

  it("the script prints the reason and the usage, and exits 2 before starting anything", () => {
    const run = spawnSync(resolve(root, "node_modules/.bin/tsx"), ["demo/start.ts", "--redis", "redis://127.0.0.1:1"], { cwd: root, encoding: "utf8", timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--redis needs --mode bff");
    expect(run.stderr).toContain("Usage: npm run demo -- [flags]");
    expect(run.stdout).not.toContain("Smartbills demo: open");
  }, 40_000);
});
