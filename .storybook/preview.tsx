import type { Preview } from "@storybook/react-vite";
import { StrictMode } from "react";
import "./preview.css";

/**
 * Every story renders in `<StrictMode>`: its double effects are what users of an auth library get
 * burned by (a second code exchange, a second login), so the stories must survive them too. The
 * same annotations are applied to the stories rendered in the test suite (`test/stories`).
 */
const preview: Preview = {
  decorators: [
    (Story) => (
      <StrictMode>
        <Story />
      </StrictMode>
    ),
  ],
  parameters: {
    layout: "centered",
    controls: { expanded: true },
  },
};

export default preview;
