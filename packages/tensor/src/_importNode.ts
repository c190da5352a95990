/**
 * Imports a Node built-in at run time. The specifier is not a literal, so bundlers (esbuild, Vite,
 * webpack) leave it alone and a browser bundle of this package contains no Node module; only the
 * Node-only functions call it.
 */
export function _importNode<T>(specifier: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}
