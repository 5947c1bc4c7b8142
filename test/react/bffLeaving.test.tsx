/** Backend-for-frontend mode: ending the Smartbills session from a guarded page must not start a new sign-in. */
import { describe, expect, it } from "vitest";
import { jsonResponse } from "./helpers";
import { createBffNetwork, createBffWrapper } from "./bffHelpers";
import { signOutOfSmartbillsUnderRequireAuth } from "./guardedSignOut";

describe("bff: logout({ endSession: true }) under <RequireAuth>", () => {
  it("does not start a new sign-in while the browser leaves for the end-session endpoint", async () => {
    const endSessionUrl = "https://api.smartbills.io/connect/endsession?client_id=app&state=s";
    const network = createBffNetwork({ logout: () => jsonResponse({ endSessionUrl }) });
    const { Wrapper } = createBffWrapper(network);
    const { login, leave } = await signOutOfSmartbillsUnderRequireAuth(Wrapper);
    expect(leave).toHaveBeenCalledWith(endSessionUrl);
    expect(login).not.toHaveBeenCalled();
    expect(network.to("login")).toHaveLength(0);
  });
});
