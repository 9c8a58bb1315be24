/**
 * A text kept per poll in this tab's sessionStorage: it survives a reload of the tab, never another
 * tab or browser, and is gone when the tab closes. Where storage is off, nothing is kept and the page
 * goes on with what it holds in memory.
 */
export interface TabKept {
  /** the text kept for this poll in this tab, or '' */
  get(poll: string): string;
  /** keeps `text` for this poll in this tab ('' forgets it) */
  set(poll: string, text: string): void;
}

/**
 * The kept text named `name` (its storage key is gongshi.<name>.<poll>). While `off()` holds (a voting
 * desk), nothing is kept: `get` gives '' and `set` only removes what an earlier visit left.
 */
export function tabKept(name: string, off: () => boolean = () => false): TabKept {
  const key = (poll: string) => `gongshi.${name}.${poll}`;
  return {
    get(poll) {
      if (off()) return '';
      try {
        return sessionStorage.getItem(key(poll)) ?? '';
      } catch {
        return '';
      }
    },
    set(poll, text) {
      try {
        if (text === '' || off()) sessionStorage.removeItem(key(poll));
        else sessionStorage.setItem(key(poll), text);
      } catch {
        // storage is off: the page keeps it in memory until the tab is reloaded
      }
    },
  };
}
