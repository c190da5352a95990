/**
 * The page: a header, the deck's outline in a sidebar, and the open section. Sections load on
 * first visit and stay mounted afterwards (hidden), so that a trained model or a chosen input is
 * still there when the learner comes back.
 */
import { type ComponentType, h, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { neighbours, sectionIdFromHash } from "./lib/route";
import type { SectionInfo } from "./sectionInfo";
import { SECTIONS } from "./sections";

type Loaded =
  | { status: "loading" }
  | { status: "ready"; Component: ComponentType<{ info: SectionInfo }> }
  | { status: "error"; error: Error };

const IDS = SECTIONS.map((s) => s.id);

function useRoute(): string {
  const [id, setId] = useState(() => sectionIdFromHash(location.hash, IDS));
  useEffect(() => {
    const onHash = () => {
      setId(sectionIdFromHash(location.hash, IDS));
      window.scrollTo({ top: 0 });
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  return id;
}

function Sidebar(props: { current: string; open: boolean; onNavigate: () => void }): JSX.Element {
  let lastGroup = "";
  return h(
    "nav",
    {
      class: props.open ? "sidebar open" : "sidebar closed",
      id: "contents",
      "aria-label": "Sections",
      "data-testid": "contents",
    },
    h(
      "ol",
      null,
      SECTIONS.map((s) => {
        const showGroup = s.group !== lastGroup;
        lastGroup = s.group;
        return h(
          "li",
          { key: s.id },
          showGroup ? h("span", { class: "toc-part" }, s.group) : null,
          h(
            "a",
            {
              href: `#${s.id}`,
              class: s.id === props.current ? "toc-link active" : "toc-link",
              "aria-current": s.id === props.current ? "page" : undefined,
              "data-testid": `nav-${s.id}`,
              onClick: props.onNavigate,
            },
            h("span", { class: "toc-num" }, String(s.number)),
            h(
              "span",
              { class: "toc-text" },
              h("span", { class: "toc-title" }, s.title),
              h("span", { class: "toc-blurb" }, s.blurb),
            ),
          ),
        );
      }),
    ),
  );
}

function Pager(props: { current: string }): JSX.Element {
  const { prev, next } = neighbours(props.current, IDS);
  const info = (id: string | undefined) => SECTIONS.find((s) => s.id === id);
  const p = info(prev);
  const n = info(next);
  return h(
    "nav",
    { class: "pager", "aria-label": "Previous and next section" },
    p
      ? h(
          "a",
          { href: `#${p.id}`, class: "pager-prev" },
          h("small", null, "Previous"),
          `${p.number}. ${p.title}`,
        )
      : h("span", null),
    n
      ? h(
          "a",
          { href: `#${n.id}`, class: "pager-next", "data-testid": "pager-next" },
          h("small", null, "Next"),
          `${n.number}. ${n.title}`,
        )
      : h("span", null),
  );
}

export function App(): JSX.Element {
  const current = useRoute();
  // On narrow screens the contents hide behind a menu button (CSS shows the sidebar always on wide
  // ones); following a link closes it again.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [current]);
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});

  useEffect(() => {
    if (loaded[current]) return;
    const info = SECTIONS.find((s) => s.id === current)!;
    setLoaded((l) => ({ ...l, [current]: { status: "loading" } }));
    info.load().then(
      (m) => setLoaded((l) => ({ ...l, [current]: { status: "ready", Component: m.default } })),
      (error: Error) => setLoaded((l) => ({ ...l, [current]: { status: "error", error } })),
    );
  }, [current, loaded]);

  useEffect(() => {
    const info = SECTIONS.find((s) => s.id === current)!;
    document.title = `${info.number}. ${info.title} · quantkit`;
  }, [current]);

  return h(
    "div",
    { class: "shell" },
    h(
      "header",
      { class: "topbar" },
      h("a", { class: "brand", href: "#why" }, h("span", { class: "brand-mark" }, "q"), "quantkit"),
      h("span", { class: "brand-sub" }, "Quantization explained, interactive"),
      h(
        "span",
        { class: "topbar-note" },
        "Every number on this page is computed live in your browser by quantkit's packages.",
      ),
      h(
        "button",
        {
          type: "button",
          class: "toc-toggle",
          "aria-expanded": menuOpen,
          "aria-controls": "contents",
          "data-testid": "toc-toggle",
          onClick: () => setMenuOpen((o) => !o),
        },
        menuOpen ? "Close ✕" : "Contents ☰",
      ),
    ),
    h(Sidebar, { current, open: menuOpen, onNavigate: () => setMenuOpen(false) }),
    h(
      "main",
      { class: "content", id: "content" },
      SECTIONS.map((s) => {
        const state = loaded[s.id];
        if (!state) return null;
        const hidden = s.id !== current;
        let body: JSX.Element;
        if (state.status === "ready") body = h(state.Component, { info: s });
        else if (state.status === "error")
          body = h(
            "p",
            { class: "note error", role: "alert" },
            `Section ${s.number} failed to load: ${state.error.message}`,
          );
        else body = h("p", { class: "loading", "data-testid": "section-loading" }, "Loading…");
        return h(
          "div",
          { key: s.id, class: "section-slot", hidden, "data-section": s.id, "data-status": state.status },
          body,
        );
      }),
      h(Pager, { current }),
      h(
        "footer",
        { class: "footer" },
        "After the slide deck “Quantization Explained” by Umar Jamil (CC BY-NC 4.0). Built with quantkit.",
      ),
    ),
  );
}
