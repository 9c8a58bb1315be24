/**
 * bulletin-board/: the front door of the public record, browser-safe. The entries and their hash
 * chain (§B.1), the Merkle tree (§B.2), signed checkpoints and cosignatures (§B.3), the election
 * rules (§B.4), the board over a storage (§B.5) and the record file (§B.6). The SQLite storage is
 * Node-only and has its own door, bulletin-board/store/index.ts.
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
  inclusionProofSize,
  consistencyProofSize,
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
  ed25519NoteSigner,
  encodeNote,
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
export { RECEIPT_HEADER, decodeReceiptText, encodeReceiptText, openReceipt, sameReceipt, signReceipt, type ReceiptEntryType, type ReceiptStatement, type ReceiptVerdict } from './log/receipt.ts';
export { ENTRY_VERSION, EntryType, HEADER_BYTES, MAX_ENTRY_BYTES, decodeEntry, encodeEntry, genesisHash, hashEntry, type EntryHeader, type EntryTypeName, type RawEntry } from './records/entry.ts';
export { MANIFEST_LIMITS, MANIFEST_VERSION, POLL_ID_BYTES, decodeManifest, encodeManifest, manifestShapes, optionCount, type CloseEarly, type Manifest, type ManifestQuestion, type Registrar, type Text } from './records/manifest.ts';
export { ceremonyElection, electionFingerprint, hashManifest } from './records/election.ts';
export { formatPollFingerprint, parsePollFingerprint, pollFingerprint } from './records/poll-fingerprint.ts';
export {
  REGISTRAR_SIGNATURE_BYTES,
  credentialListMessage,
  encodeCredentialList,
  registrarPublicKey,
  encodeRevocationList,
  revocationMessage,
  signCredentialList,
  signRevocation,
  verifyCredentialList,
  verifyRevocation,
} from './records/credential-list.ts';
export {
  CEREMONY_STEPS,
  CREDENTIAL_LIMITS,
  ballotFacts,
  decodePayload,
  skimCredentials,
  encodeAudit,
  encodeCeremony,
  encodeCredentials,
  encodeKey,
  encodeResult,
  encodeStep,
  encodeExtend,
  encodeRevoke,
  encodeTally,
  slotCount,
  type BallotFacts,
  type KeyRecord,
  type ListedCredential,
  type Payload,
  type PayloadContext,
  type TallyRecord,
} from './records/payloads.ts';
export { RECORD_MAGIC, RecordParser, encodeRecordItem, parseRecord, recordHeader, type RecordItem } from './records/record-file.ts';
export { REJECTIONS, type Rejection, type RejectionCode } from './rules/codes.ts';
export { createState, type BoardState, type CredentialState, type Phase } from './rules/state.ts';
export { ALLOWED, readEntry, type DecodedEntry } from './rules/read.ts';
export { applyDecoded, applyEntry, type ApplyOptions, type Verdict } from './rules/apply.ts';
export { MAX_AUDITS, MAX_TOTAL_WEIGHT } from './rules/voting.ts';
export { computeTally, countedSet, sumSlots, totalBound, type CountedSet } from './rules/counting.ts';
export { ceremonyKey } from './rules/ceremony.ts';
export { MemoryStorage, type BoardStorage, type StorageWriter, type StoredCheckpoint, type StoredEntry } from './board/storage.ts';
export { Board, BoardIntegrityError, SNAPSHOT_GAP, nextSnapshotAt, type Appended, type BallotChecker, type BoardOptions } from './board/board.ts';
export { SNAPSHOT_VERSION, decodeSnapshot, encodeLedger, encodeSnapshot, ledgerOf, snapshotKey, type Ledger, type LedgerCredential } from './board/snapshot.ts';
