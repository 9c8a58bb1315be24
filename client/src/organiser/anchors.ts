/**
 * What the organiser's browser was told before the board existed, kept on her device to compare
 * with the manifest the board publishes (spec §B.1.4, §B.1.5.1): the log key the server answered when
 * the poll was created, and the witness keys she typed. Public keys only, nothing secret.
 */
export interface Anchors {
  /** the log key of POST /api/polls's answer */
  readonly logKey: string;
  /** the witness keys of her last saved draft */
  readonly witnessKeys: readonly string[];
}

const STORE = 'gongshi.anchors.';

/** What this device kept for `poll`, or null (another device, or storage off). */
export function anchorsOf(poll: string): Anchors | null {
  try {
    const v = JSON.parse(localStorage.getItem(STORE + poll) ?? 'null') as Partial<Anchors> | null;
    if (v === null || typeof v.logKey !== 'string' || !Array.isArray(v.witnessKeys) || !v.witnessKeys.every((k) => typeof k === 'string')) return null;
    return { logKey: v.logKey, witnessKeys: v.witnessKeys };
  } catch {
    return null;
  }
}

/** Keeps the log key the server gave at creation (never replaced afterwards) and the witness keys she typed. */
export function keepAnchors(poll: string, given: { logKey?: string; witnessKeys: readonly string[] }): void {
  const before = anchorsOf(poll);
  const logKey = before?.logKey ?? given.logKey;
  if (logKey === undefined) return; // a draft made on another device: its log key was never seen here
  try {
    localStorage.setItem(STORE + poll, JSON.stringify({ logKey, witnessKeys: [...given.witnessKeys] }));
  } catch {
    // storage off: the pages then compare only what they hold
  }
}
