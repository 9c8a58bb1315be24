/**
 * The board as the trustee's worker replayed it (spec §B.4): the rules' state, every ceremony run, the
 * manifest's bytes, the height of the tally entry, and the Merkle tree (§B.2) her device computes
 * itself over the entries it accepted. Roots come from this tree, never from what a server says.
 */
import { MemoryNodeStore, MerkleTree, applyEntry, createState, hashLeaf, type BoardState, type Verdict } from '../../../bulletin-board/index.ts';

export class Replay {
  readonly state: BoardState = createState();
  /** every ceremony run the board has had, in order (a later run replaces state.ceremony; her check covers them all) */
  readonly runs: NonNullable<BoardState['ceremony']>[] = [];
  /** B.1.4 the payload of entry 0, whose hash is the poll fingerprint; null before it */
  manifestBytes: Uint8Array | null = null;
  /** the height of the tally entry, once replayed */
  tallyHeight: number | null = null;
  private readonly tree = new MerkleTree(new MemoryNodeStore());

  /** B.4.4 applies the next entry; an accepted one is also appended to her tree (B.2.1). */
  async apply(bytes: Uint8Array): Promise<Verdict> {
    const v = await applyEntry(this.state, bytes);
    if (!v.ok) return v;
    this.tree.append(hashLeaf(v.entry.hash));
    if (v.entry.type === 'manifest') this.manifestBytes = v.entry.payload;
    if (v.entry.type === 'tally') this.tallyHeight = v.entry.height;
    const c = this.state.ceremony;
    if (c !== null && c !== this.runs.at(-1)) this.runs.push(c);
    return v;
  }

  /** B.2.3 the root her device computes over the first `size` entries it replayed (size ≤ height). */
  rootAt(size: number): Uint8Array {
    return this.tree.root(size);
  }

  /** T.9.3 the board seen: the entries replayed so far and their root. */
  get seen(): { readonly size: number; readonly root: Uint8Array } {
    return { size: this.state.height, root: this.tree.root() };
  }
}
