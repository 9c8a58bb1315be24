/**
 * Equivocation evidence as a witness keeps and shows it (spec §B.3.10): two checkpoints signed by the
 * poll's log key that no honest log signs together, and the proof the log gave, if any. Anyone with the
 * log key can check the two signatures; the record is kept in the witness's state for good.
 */
import { decodeCheckpoint, parseNote } from '../../bulletin-board/index.ts';

/**
 * B.3.10 `same-size-different-root` and `no-valid-consistency-proof`; and a `rollback`: the board
 * showing, as its latest, a smaller checkpoint than one it had shown the witness before.
 */
export type EquivocationKind = 'same-size-different-root' | 'no-valid-consistency-proof' | 'rollback';

export interface EquivocationRecord {
  readonly kind: EquivocationKind;
  /** when the witness saw it, ISO 8601 */
  readonly detectedAt: string;
  /** the signed checkpoint the witness had verified and saved before */
  readonly saved: string;
  /** the signed checkpoint the board showed next, which conflicts with `saved` */
  readonly received: string;
  /** for no-valid-consistency-proof: the proof the board gave from `saved` to `received`, hex hashes */
  readonly proof: readonly string[];
}

export const EQUIVOCATION_KINDS: readonly EquivocationKind[] = ['same-size-different-root', 'no-valid-consistency-proof', 'rollback'];

const sizeOf = (note: string): number => decodeCheckpoint(parseNote(note).text).size;

/** One sentence on what the board did. Requires notes that parse (they were verified when saved). */
export function describeEquivocation(r: EquivocationRecord): string {
  const [saved, received] = [sizeOf(r.saved), sizeOf(r.received)];
  switch (r.kind) {
    case 'same-size-different-root':
      return `the board signed two different checkpoints of ${saved} entries`;
    case 'no-valid-consistency-proof':
      return `the board's checkpoint of ${received} entries does not extend its checkpoint of ${saved} entries: the consistency proof it gave does not verify`;
    case 'rollback':
      return `the board showed a checkpoint of ${received} entries after showing one of ${saved} entries (a rollback)`;
  }
}

/** The evidence for people and for anyone to check: both signed notes as received, and the proof. */
export function evidenceText(r: EquivocationRecord, poll: string): string {
  const lines = [
    `EQUIVOCATION (${r.kind}) on poll ${poll}, seen ${r.detectedAt}: ${describeEquivocation(r)}.`,
    '--- the checkpoint this witness had verified and saved ---',
    r.saved.replace(/\n$/, ''),
    '--- the conflicting checkpoint the board showed next ---',
    r.received.replace(/\n$/, ''),
  ];
  if (r.kind === 'no-valid-consistency-proof') lines.push('--- the consistency proof the board gave (hex, one hash a line) ---', ...(r.proof.length > 0 ? r.proof : ['(empty)']));
  lines.push('--- end of evidence ---');
  return lines.join('\n') + '\n';
}
