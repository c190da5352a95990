/**
 * What the outline knows of a section: its place in the deck, its title, and how to load it. Its own
 * module so that the sections (which take it as a prop) and the outline (which lists them) do not
 * import each other.
 */
import type { ComponentType } from "preact";

export interface SectionInfo {
  /** The URL hash, e.g. "#floats". */
  id: string;
  number: number;
  title: string;
  /** The deck's outline entry the section belongs to (the section's kicker). */
  part: string;
  /** The sidebar heading it is listed under (the deck's top-level outline). */
  group: string;
  /** One line for the table of contents. */
  blurb: string;
  load: () => Promise<{ default: ComponentType<{ info: SectionInfo }> }>;
}
