declare module "*.svelte" { import type { Component } from "svelte"; const c: Component; export default c; }
declare module "*.css";
