import { act, render, type RenderResult } from "@testing-library/react";
import axe from "axe-core";
import type { ComponentType } from "react";

/** What `composeStories` gives for one story, as far as these tests use it. */
export interface ComposedStory {
  (extraArgs?: Record<string, unknown>): unknown;
  storyName: string;
  load(): Promise<void>;
  play?: (context?: { canvasElement?: HTMLElement }) => Promise<void>;
}

/**
 * Renders a story as Storybook does: its loaders and `beforeEach` first, then the story (in the
 * preview's decorators, StrictMode included), then its `play` function against the rendered canvas.
 */
export async function renderStory(Story: ComposedStory): Promise<RenderResult> {
  await Story.load();
  const Component = Story as unknown as ComponentType;
  const view = render(<Component />);
  // Let a callback that settles at once (MockSmartbillsProvider's) update inside act().
  await act(async () => {});
  await Story.play?.({ canvasElement: view.container });
  return view;
}

/**
 * The axe-core violations of serious or critical impact in `container`. Colour contrast needs
 * layout, which jsdom has not; it is checked in a real browser instead.
 */
export async function seriousA11yViolations(container: Element): Promise<string[]> {
  const results = await axe.run(container, { rules: { "color-contrast": { enabled: false } }, resultTypes: ["violations"] });
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.html).join(", ")}`);
}

/**
 * One test per story: it renders, passes the check written for it, and has no serious axe
 * violation. The mapped type makes a story without a check a type error, so none goes untested.
 */
export function testEveryStory<Stories extends Record<string, ComposedStory>>(
  stories: Stories,
  checks: { [Name in keyof Stories]: (view: RenderResult) => void | Promise<void> },
): void {
  for (const [name, Story] of Object.entries(stories)) {
    it(`${name} renders its state and has no serious accessibility violation`, async () => {
      const view = await renderStory(Story);
      await checks[name as keyof Stories](view);
      expect(await seriousA11yViolations(view.container)).toEqual([]);
    });
  }
}
