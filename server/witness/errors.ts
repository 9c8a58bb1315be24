/**
 * What can stop a witness run short of a verdict on the board (spec §B.3.9–B.3.10): a board it could
 * not read or whose answer it cannot use, a state folder it cannot use, a poll URL it cannot follow.
 * A misbehaving board is no error: it is a finding (follow.ts).
 */

/** The board was unreachable, answered with an HTTP error, or sent something unusable. Try again later. */
export class BoardError extends Error {
  override name = 'BoardError';
}

/** The witness's state folder (its key, its saved checkpoints) cannot be read or written as it must. */
export class WitnessStateError extends Error {
  override name = 'WitnessStateError';
}

/** The text given as a poll URL names no gongshi poll. */
export class PollUrlError extends Error {
  override name = 'PollUrlError';
}
