/** SmartbillsBffProvider: the bff mode without the token client, the same hooks. */
import { act, renderHook, waitFor } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { SmartbillsBffProvider } from "../../src/react/bff/SmartbillsBffProvider";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { useSmartbillsFetch } from "../../src/react/useSmartbillsFetch";
import { ALICE, BFF, createBffNetwork } from "./bffHelpers";

function wrapper(fetch: typeof globalThis.fetch) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children?: ReactNode }) => (
    <SmartbillsBffProvider bff={BFF} fetch={fetch} queryClient={queryClient}>
      {children}
    </SmartbillsBffProvider>
  );
}

describe("SmartbillsBffProvider", () => {
  it("reads the session from the backend, has no token, and sends API calls through the proxy", async () => {
    const network = createBffNetwork();
    const { result } = renderHook(() => ({ auth: useSmartbillsAuth(), fetch: useSmartbillsFetch() }), { wrapper: wrapper(network) });
    expect(result.current.auth.status).toBe("loading");
    await waitFor(() => expect(result.current.auth.status).toBe("authenticated"));
    expect(result.current.auth.user).toMatchObject(ALICE);
    expect(result.current.auth.accessToken).toBeNull();
    await act(() => expect(result.current.auth.getAccessToken()).rejects.toMatchObject({ code: "unsupported" }));
    await act(() => result.current.fetch("https://api.smartbills.io/v1/receipts?page=2"));
    const [call] = network.api();
    expect(new URL(call!.url, window.location.origin).pathname + new URL(call!.url, window.location.origin).search).toBe(`${BFF}/api/v1/receipts?page=2`);
    expect(call!.headers.get("x-smartbills-request")).toBe("1");
  });

  it("refuses a bff that is not a path on this origin, naming the prop", () => {
    expect(() => renderHook(() => useSmartbillsAuth(), { wrapper: ({ children }) => <SmartbillsBffProvider bff="https://evil.example/api">{children}</SmartbillsBffProvider> })).toThrow(/"bff"/);
  });
});
