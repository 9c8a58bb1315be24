/**
 * bulletin-board/: the front door of the public record. Today: the log layer, the Merkle tree of
 * §B.2 and the signed checkpoints, notes and cosignatures of §B.3. Entries, the hash chain, the
 * election rules and the SQLite store (§B.1, §B.4–) arrive with the board issue.
 */
export {
  EMPTY_ROOT,
  HASH_BYTES,
  MemoryNodeStore,
  MerkleInputError,
  MerkleTree,
  consistencyPath,
  hashLeaf,
  hashNode,
  inclusionPath,
  merkleTreeHash,
  verifyConsistency,
  verifyInclusion,
  type ConsistencyProof,
  type InclusionProof,
  type NodeStore,
} from './log/merkle.ts';
export {
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  encodeVerifierKey,
  encodeSignerKey,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  signerKeyFromSeed,
  verifierKeyOf,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
  type ParsedNote,
  type SignerKey,
  type VerifierKey,
} from './log/note.ts';
export {
  compareCheckpoints,
  cosignCheckpoint,
  decodeCheckpoint,
  encodeCheckpoint,
  merkleConsistency,
  signCheckpoint,
  verifyCheckpoint,
  verifyCosignature,
  type Checkpoint,
  type CheckpointComparison,
  type CheckpointVerdict,
  type ConsistencyProofVerifier,
  type CosignatureVerdict,
  type VerifiedCheckpoint,
} from './log/checkpoint.ts';
