/**
 * A square canvas to draw a digit on with a mouse, a pen or a finger: white ink on black, as MNIST.
 * Calls `onInk` with the ink (one value in [0, 1] per canvas pixel) while drawing (throttled) and when
 * a stroke ends.
 */
import { h, type JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";

export interface DrawPadHandle {
  clear(): void;
  /** Draws a 28 x 28 image ([0, 1]) scaled up to the pad, replacing what is there. */
  show(image: Float32Array): void;
}

export function DrawPad(props: {
  id: string;
  size?: number;
  brush?: number;
  onInk: (ink: Float32Array, width: number, height: number) => void;
  handle: { current: DrawPadHandle | null };
}): JSX.Element {
  const size = props.size ?? 280;
  const brush = props.brush ?? 22;
  const canvas = useRef<HTMLCanvasElement>(null);
  const onInk = useRef(props.onInk);
  onInk.current = props.onInk;

  useEffect(() => {
    const c = canvas.current!;
    const ctx = c.getContext("2d", { willReadFrequently: true })!;
    const fill = () => {
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, size, size);
    };
    fill();
    const emit = () => {
      const rgba = ctx.getImageData(0, 0, size, size).data;
      const ink = new Float32Array(size * size);
      for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4]! / 255;
      onInk.current(ink, size, size);
    };
    let drawing = false;
    let last: { x: number; y: number } | null = null;
    let lastEmit = 0;
    const pos = (e: PointerEvent) => {
      const r = c.getBoundingClientRect();
      return { x: ((e.clientX - r.left) * size) / r.width, y: ((e.clientY - r.top) * size) / r.height };
    };
    const down = (e: PointerEvent) => {
      drawing = true;
      c.setPointerCapture(e.pointerId);
      last = pos(e);
      ctx.fillStyle = "#fff";
      ctx.beginPath();
      ctx.arc(last.x, last.y, brush / 2, 0, Math.PI * 2);
      ctx.fill();
    };
    const move = (e: PointerEvent) => {
      if (!drawing || !last) return;
      const p = pos(e);
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = brush;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
      const now = performance.now();
      if (now - lastEmit > 150) {
        lastEmit = now;
        emit();
      }
    };
    const up = () => {
      if (!drawing) return;
      drawing = false;
      last = null;
      emit();
    };
    c.addEventListener("pointerdown", down);
    c.addEventListener("pointermove", move);
    c.addEventListener("pointerup", up);
    c.addEventListener("pointercancel", up);
    props.handle.current = {
      clear: () => {
        fill();
        emit();
      },
      show: (image) => {
        const small = document.createElement("canvas");
        small.width = 28;
        small.height = 28;
        const sctx = small.getContext("2d")!;
        const data = sctx.createImageData(28, 28);
        for (let i = 0; i < 784; i++) {
          const v = Math.round(image[i]! * 255);
          data.data.set([v, v, v, 255], i * 4);
        }
        sctx.putImageData(data, 0, 0);
        fill();
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(small, 0, 0, size, size);
        emit();
      },
    };
    return () => {
      c.removeEventListener("pointerdown", down);
      c.removeEventListener("pointermove", move);
      c.removeEventListener("pointerup", up);
      c.removeEventListener("pointercancel", up);
    };
  }, [size, brush]);

  return h("canvas", {
    ref: canvas,
    width: size,
    height: size,
    class: "drawpad",
    "data-testid": props.id,
    "aria-label": "drawing area: draw a digit from 0 to 9",
    style: { width: `${size}px`, height: `${size}px` },
  });
}

/** A 28 x 28 image drawn large with hard pixel edges: what the models see. */
export function PixelView(props: { image: Float32Array | null; size?: number; id?: string }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx) return;
    const data = ctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = Math.round((props.image?.[i] ?? 0) * 255);
      data.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(data, 0, 0);
  }, [props.image]);
  const size = props.size ?? 140;
  return h("canvas", {
    ref: canvas,
    width: 28,
    height: 28,
    class: "pixelview",
    "data-testid": props.id,
    style: { width: `${size}px`, height: `${size}px` },
  });
}
