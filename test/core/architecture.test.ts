import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

vi.mock("react", () => ({}));

const CORE_DIR = join(__dirname, "../../src/core");
const coreFiles = readdirSync(CORE_DIR).filter((name) => /\.tsx?$/.test(name));
const FORBIDDEN = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)["'](react|react-dom|@tanstack\/[^"']*)(?:\/[^"']*)?["']/;

describe("the browser core", () => {
  it("has the expected modules", () => {
    expect(coreFiles.length).toBeGreaterThanOrEqual(12);
  });

  it.each(coreFiles)("%s imports neither react, react-dom nor @tanstack", (name) => {
    const source = readFileSync(join(CORE_DIR, name), "utf8");

    expect(source).not.toMatch(FORBIDDEN);
  });

  it("detects a react import with the rule above", () => {
    expect('import { useState } from "react";').toMatch(FORBIDDEN);
    expect("import { QueryClient } from '@tanstack/react-query';").toMatch(FORBIDDEN);
    expect('import "react-dom/client";').toMatch(FORBIDDEN);
  });

  it.each(coreFiles)("%s loads with react mocked away", async (name) => {
    const module = await import(`../../src/core/${name.replace(/\.tsx?$/, "")}.ts`);

    expect(Object.keys(module).length).toBeGreaterThan(0);
  });
});
