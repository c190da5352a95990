import { h, render } from "preact";
import { App } from "./app";
import "./style.css";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
render(h(App, null), root);
