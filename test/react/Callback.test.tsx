import { render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Callback } from "../../src/react/Callback";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { arrangeCallback, createRecordingFetch, createWrapper, tokenResponse } from "./helpers";

function Status() {
  const auth = useSmartbillsAuth();
  return <output data-testid="status">{auth.status}</output>;
}

describe("Callback", () => {
  it("exchanges the code exactly once under StrictMode and lands on returnTo", async () => {
    const { codeVerifier } = arrangeCallback();
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper } = createWrapper({ fetch });
    const onSuccess = vi.fn();
    render(<Callback onSuccess={onSuccess} />, { wrapper: Wrapper });
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith("/dashboard"));
    expect(fetch.requests).toHaveLength(1);
    const body = fetch.requests[0]!.body;
    expect([...body.keys()].sort()).toEqual(["client_id", "code", "code_verifier", "grant_type", "redirect_uri"]);
    expect(body.get("code_verifier")).toBe(codeVerifier);
    expect(body.get("grant_type")).toBe("authorization_code");
    expect(window.location.search).toBe("");
    expect(onSuccess).toHaveBeenCalledTimes(1);
  });

  it("joins one exchange when a useSmartbillsAuth consumer and the Callback mount together", async () => {
    arrangeCallback();
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper } = createWrapper({ fetch, onRedirectCallback: () => {} });
    render(<><Status /><Callback /></>, { wrapper: Wrapper });
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("authenticated"));
    expect(fetch.requests).toHaveLength(1);
  });
});

describe("a root redirect URI", () => {
  it("leaves an app's own ?code= alone when no sign-in response is there", async () => {
    const { storeToken } = await import("./helpers");
    storeToken({ accessToken: "kept" });
    window.history.replaceState(null, "", "/?code=SUMMER24");
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper } = createWrapper({ fetch, redirectUri: `${window.location.origin}/` });
    render(<Status />, { wrapper: Wrapper });
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("authenticated"));
    expect(window.location.search).toBe("?code=SUMMER24");
    expect(fetch.requests).toHaveLength(0);
  });
});
