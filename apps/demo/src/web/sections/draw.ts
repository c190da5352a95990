import { h, type JSX } from "preact";
import type { SectionInfo } from "../sections";
import { Pending } from "../ui/pending";

export default function Section(props: { info: SectionInfo }): JSX.Element {
  return h(Pending, { info: props.info, packages: ["@quantkit/ptq"], lead: "" });
}
