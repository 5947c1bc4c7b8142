import { QueryClient } from "@tanstack/react-query";
import { StrictMode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

describe("server rendering (node, no DOM)", () => {
  it("imports the browser entry with no window, document or storage", async () => {
    expect(typeof window).toBe("undefined");
    const entry = await import("../../src/index");
    expect(typeof entry.SmartbillsProvider).toBe("function");
  });

  it("renders the provider, hooks and components to a string as 'loading'", async () => {
    const { SmartbillsProvider, useSmartbillsAuth, LoginButton, RequireAuth } = await import("../../src/index");
    function Status() {
      return <span>{useSmartbillsAuth().status}</span>;
    }
    const html = renderToString(
      <StrictMode>
        <SmartbillsProvider clientId="ssr-client" queryClient={new QueryClient()}>
          <Status />
          <LoginButton>Sign in</LoginButton>
          <RequireAuth fallback={<em>wait</em>}>secret</RequireAuth>
        </SmartbillsProvider>
      </StrictMode>,
    );
    expect(html).toContain("<span>loading</span>");
    expect(html).toContain("Sign in</button>");
    expect(html).toContain("<em>wait</em>");
    expect(html).not.toContain("secret");
  });

  it("imports the testing and server entries with no DOM", async () => {
    await expect(import("../../src/server")).resolves.toBeTruthy();
  });
});
