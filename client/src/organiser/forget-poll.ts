/**
 * What this device kept for a draft that is deleted (DELETE /api/polls/:poll): its registrar key
 * (registrar-key.ts), its anchors (anchors.ts) and the note that trustee links were made
 * (invites.svelte.ts). A deleted draft's key could never sign for another poll (B.1.6.1 signs the
 * manifest hash), but a secret with no use left is better gone.
 */
const STORES = ['gongshi.registrar.', 'gongshi.anchors.', 'gongshi.invited.'] as const;

export function forgetPoll(poll: string): void {
  try {
    for (const store of STORES) localStorage.removeItem(store + poll);
  } catch {
    // storage off: nothing was kept
  }
}
