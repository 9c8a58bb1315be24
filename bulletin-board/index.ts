/**
 * bulletin-board/: the front door of the public record (hash chain, Merkle tree, checkpoints, election
 * rules, SQLite store). Empty until the board issue lands; spec §B.
 */
export {};
