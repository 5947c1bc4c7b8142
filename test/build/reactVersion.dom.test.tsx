/**
 * The dom suite runs twice in CI: on React 19 (vite.config.ts) and on React 18.3
 * (vitest.react18.config.ts, which sets SMARTBILLS_REACT_MAJOR=18). This proves which React the
 * tests really rendered with: one copy of React, and react-dom of the same version.
 */
import { render } from "@testing-library/react";
import { useSyncExternalStore, version } from "react";
import { version as domVersion } from "react-dom";
import { describe, expect, it } from "vitest";

describe("the React the dom suite runs on", () => {
  it("has react and react-dom of one version", () => {
    expect(domVersion).toBe(version);
  });

  it.runIf(process.env.SMARTBILLS_REACT_MAJOR)("is the major version this run asked for", () => {
    expect(version.split(".")[0]).toBe(process.env.SMARTBILLS_REACT_MAJOR);
  });

  it("renders hooks through @testing-library/react with that single copy", async () => {
    const { loadDist } = await import("../../scripts/bench/dom/scenarios");
    const lib = await loadDist();
    function Probe() {
      const value = useSyncExternalStore(() => () => {}, () => version);
      const login = lib.useSmartbillsLogin();
      return <p>{`${value} ${typeof login.login}`}</p>;
    }
    const { container } = render(
      <lib.SmartbillsProvider clientId="react-version">
        <Probe />
      </lib.SmartbillsProvider>,
    );
    expect(container.textContent).toBe(`${version} function`);
  });
});
