import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const dist = resolve(import.meta.dirname, "../../dist");

/** Every built file the browser entry reaches through relative imports. */
function graph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const code = readFileSync(file, "utf8");
    seen.set(file, code);
    for (const [, spec] of code.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) visit(join(dirname(file), spec!));
  };
  visit(join(dist, entry));
  return seen;
}

describe("the built browser entry", () => {
  const files = graph("index.js");

  it("reaches the whole browser layer (so the checks below see everything)", () => {
    const names = [...files.keys()].map((f) => f.slice(dist.length + 1));
    expect(names).toEqual(expect.arrayContaining(["index.js", "react/SmartbillsClient.js", "core/exchange.js", "react/Callback.js"]));
  });

  it("has no client_secret handling: the secret lives only in the server entry", () => {
    for (const [file, code] of files) {
      expect(code, file).not.toMatch(/client_secret|clientSecret/);
    }
  });

  it("never imports the server entry", () => {
    expect([...files.keys()].some((f) => f.includes(`${dist}/server`))).toBe(false);
  });
});
