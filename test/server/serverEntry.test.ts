import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { SmartbillsAuthError as CoreError } from "../../src/core/errors";

// If anything on the server entry's import graph reached for React, importing it would throw.
vi.mock("react", () => {
  throw new Error("the server entry must not import react");
});

const root = join(__dirname, "../..");
// The files of src/server and of the backend for frontend in src/server/bff.
const filesOf = (dir: string) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(root, dir, entry.name));
const serverSources = [join(root, "src/server.ts"), ...filesOf("src/server"), ...filesOf("src/server/bff")];

describe("the @smartbills/react/server entry", () => {
  it("exports the server helpers, the backend for frontend with its session stores, and the error type, nothing from React", async () => {
    const entry = await import("../../src/server");
    expect(Object.keys(entry).sort()).toEqual([
      "SmartbillsAuthError",
      "SmartbillsErrorCodes",
      "createClientCredentialsClient",
      "createMemorySessionStore",
      "createRedisSessionStore",
      "createSmartbillsBff",
      "createTokenHandler",
      "isSmartbillsAuthError",
      "toNodeHandler",
    ]);
    expect(entry.SmartbillsAuthError).toBe(CoreError);
  });

  it.each(serverSources.map((file) => [file.slice(root.length + 1), file]))("%s imports no React, TanStack, browser layer or runtime node: module", (_, file) => {
    const source = readFileSync(file, "utf8");
    const imports = [...source.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gm)].map((m) => ({ typeOnly: Boolean(m[2]), from: m[3]! }));
    for (const { typeOnly, from } of imports) {
      expect(from).not.toMatch(/^(react|react-dom|@tanstack\/)|\/react\//);
      if (from.startsWith("node:")) expect(typeOnly).toBe(true);
      // Only core modules that are pure functions with no DOM or storage use (listed one by one).
      if (from.startsWith("../core/")) expect(["../core/errors.js", "../core/oauthErrorCode.js", "../core/metadata.js", "../core/retryAfter.js"]).toContain(from);
    }
    expect(source).not.toMatch(/\bconsole\./);
    expect(source).not.toMatch(/\bexport default\b/);
  });
});
