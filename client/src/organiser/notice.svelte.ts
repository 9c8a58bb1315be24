/** A short note carried to the next page of the console ("Saved."), shown there once. */
import type { MessageKey } from '../i18n/index.ts';

let pending = $state<MessageKey | null>(null);

export function leaveNotice(key: MessageKey): void {
  pending = key;
}

/** The note left for this page, taken (so it shows once). */
export function takeNotice(): MessageKey | null {
  const k = pending;
  pending = null;
  return k;
}
