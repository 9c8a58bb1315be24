/**
 * The client's addresses: one page per path, history without reloads. Links are plain <a href>;
 * App.svelte turns clicks on same-site links into navigate(). The fragment (#…) is never sent to
 * the server, which is why secrets in links (a trustee's token, a voter's code) travel there.
 */
let path = $state(location.pathname);
let search = $state(location.search);
let hash = $state(location.hash);

window.addEventListener('popstate', () => sync());
window.addEventListener('hashchange', () => sync());

function sync(): void {
  path = location.pathname;
  search = location.search;
  hash = location.hash;
}

/** The current location (reactive). */
export const route = {
  get path() {
    return path;
  },
  get search() {
    return search;
  },
  get hash() {
    return hash;
  },
  /** a query parameter, or null */
  param(name: string): string | null {
    return new URLSearchParams(search).get(name);
  },
};

/** Goes to `to` (a path with optional ?query and #fragment) without reloading. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  sync();
  if (!to.includes('#')) window.scrollTo(0, 0);
}

/** Drops the fragment from the address bar (after reading a secret out of it). */
export function forgetHash(): void {
  history.replaceState(null, '', location.pathname + location.search);
  sync();
}
