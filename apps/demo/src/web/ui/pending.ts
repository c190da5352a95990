/** Shown by a section whose package has not landed yet. */
import { h, type JSX } from "preact";
import type { SectionInfo } from "../sections";
import { Note, Panel, SectionFrame } from "./layout";

export function Pending(props: { info: SectionInfo; packages: string[]; lead: string }): JSX.Element {
  return h(
    SectionFrame,
    { info: props.info, lead: h("p", null, props.lead) },
    h(
      Panel,
      { title: "Coming soon" },
      h(
        Note,
        { tone: "warn" },
        `This section runs ${props.packages.join(", ")}, which is not published in this build yet.`,
      ),
    ),
  );
}
