/** Whether a chart's y-axis title is drawn whole on its canvas (it was cut to "loss (nat" once). */
import { expect } from "vitest";
import { page } from "./_demoPage";

/**
 * Where a chart's y-axis title lies on its canvas, in CSS px: the rows holding its ink (pixels as
 * dark as palette.ink, which tick labels and data never are) in the canvas' left 30 px, and the
 * width the title takes when set in the chart's bold 12 px axis-title font. A title cut by the
 * canvas' edge ("loss (nat") has ink on the edge row and less ink than its width.
 */
async function _yTitleInk(
  id: string,
  title: string,
): Promise<{ top: number; bottom: number; height: number; width: number }> {
  return page.getByTestId(id).evaluate((el, title) => {
    const canvas = el as HTMLCanvasElement;
    const s = canvas.width / canvas.clientWidth;
    const strip = Math.round(30 * s);
    const data = canvas.getContext("2d")!.getImageData(0, 0, strip, canvas.height).data;
    let top = -1;
    let bottom = -1;
    for (let y = 0; y < canvas.height; y++)
      for (let x = 0; x < strip; x++) {
        const i = (y * strip + x) * 4;
        if (data[i + 3]! > 128 && data[i]! < 70 && data[i + 1]! < 70 && data[i + 2]! < 90) {
          if (top < 0) top = y;
          bottom = y;
          break;
        }
      }
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.font = 'bold 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    return {
      top: top / s,
      bottom: bottom / s,
      height: canvas.height / s,
      width: ctx.measureText(title).width,
    };
  }, title);
}

/** The chart's y-axis title is drawn whole: inside the canvas, none of its width cut off. */
export async function expectYTitleWhole(id: string, title: string): Promise<void> {
  const ink = await _yTitleInk(id, title);
  expect(ink.top, `${id}: the y title's ink starts below the canvas' top edge`).toBeGreaterThanOrEqual(1);
  expect(ink.bottom, `${id}: the y title's ink ends above the canvas' bottom edge`).toBeLessThanOrEqual(
    ink.height - 2,
  );
  // glyph side bearings make the ink a few px shorter than the advance width, never longer
  expect(ink.bottom - ink.top + 1, `${id}: ink as long as "${title}" is wide`).toBeGreaterThanOrEqual(
    ink.width - 4,
  );
  expect(ink.bottom - ink.top + 1, `${id}: ink as long as "${title}" is wide`).toBeLessThanOrEqual(
    ink.width + 2,
  );
}
