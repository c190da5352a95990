declare module "virtual:bench-results" {
  /** The result files of bench-results/ at build time, as text (validated by the page). */
  export const files: { name: string; text: string }[];
}
