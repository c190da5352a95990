/** The page's colours, shared by the CSS (as custom properties) and the charts. */
export const palette = {
  ink: "#1d2433",
  muted: "#5b6478",
  gridline: "rgba(29, 36, 51, 0.09)",
  accent: "#3b5bdb",
  accentSoft: "rgba(59, 91, 219, 0.18)",
  accent2: "#e8590c",
  accent2Soft: "rgba(232, 89, 12, 0.16)",
  good: "#2b8a3e",
  bad: "#c92a2a",
  grid: "rgba(59, 91, 219, 0.28)",
  clip: "rgba(201, 42, 42, 0.08)",
  /** One colour a series, in a fixed order (colour-blind-safe Okabe-Ito, darkened for white paper). */
  series: ["#3b5bdb", "#e8590c", "#2b8a3e", "#ae3ec9", "#0c8599", "#c92a2a", "#5c940d", "#862e9c"],
} as const;
