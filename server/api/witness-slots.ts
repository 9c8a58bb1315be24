/** Which witnesses a poll takes: those the organiser listed, or any, first come, up to MAX_WITNESSES. */
import type { Database } from 'better-sqlite3';

/** The most witnesses whose cosignatures a poll publishes. */
export const MAX_WITNESSES = 16;

/** The witness keys the organiser listed for a poll, sorted; empty: any witness is taken. */
export function listedWitnesses(db: Database, poll: string): string[] {
  return (db.prepare('SELECT witness FROM witness_keys WHERE poll = ? ORDER BY witness').all(poll) as { witness: string }[]).map((w) => w.witness);
}

/** Replaces the list; once it holds any key, other witnesses' cosignatures are no longer published. */
export function listWitnesses(db: Database, poll: string, keys: readonly string[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM witness_keys WHERE poll = ?').run(poll);
    const put = db.prepare('INSERT OR IGNORE INTO witness_keys (poll, witness) VALUES (?, ?)');
    for (const k of keys) put.run(poll, k);
    if (keys.length > 0) db.prepare('DELETE FROM cosignatures WHERE poll = ? AND witness NOT IN (SELECT witness FROM witness_keys WHERE poll = ?)').run(poll, poll);
  })();
}
