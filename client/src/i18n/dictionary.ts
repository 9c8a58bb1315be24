/** A part's dictionary: English texts, and Chinese texts for exactly the same keys. */
export function dictionary<const E extends Record<string, string>>(en: E, zh: { readonly [K in keyof E]: string }): { readonly en: E; readonly zh: { readonly [K in keyof E]: string } } {
  return { en, zh };
}
