/**
 * The API's closed set of error codes (docs/api.md §Errors): the server's own, and the board rules'
 * rejection codes (spec §B.4.3), which reach the client unchanged. Every rejection is a 4xx with
 * `{ error: CODE, message }`; a 5xx is a bug.
 */
import { REJECTIONS, type RejectionCode } from '../../bulletin-board/index.ts';

/** The server's own codes and their HTTP status. */
export const SERVER_ERRORS = {
  BAD_JSON: 400,
  BAD_REQUEST: 400,
  BAD_SETUP_TOKEN: 401,
  BAD_LOGIN: 401,
  BAD_ACCOUNT_LINK: 401,
  WRONG_PASSWORD: 403,
  NAME_TAKEN: 409,
  UNAUTHENTICATED: 401,
  BAD_TRUSTEE_TOKEN: 401,
  BAD_REGISTRAR_TOKEN: 401,
  ORIGIN_REFUSED: 403,
  NOT_YOUR_INDEX: 403,
  WITNESS_NOT_LISTED: 403,
  NOT_FOUND: 404,
  WRONG_STATE: 409,
  NO_REGISTRAR: 409,
  POLL_PUBLISHED: 409,
  POLL_NOT_FINISHED: 409,
  NOT_LISTED: 404,
  REVOKED: 410,
  BAD_COSIGNATURE: 422,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
} as const;

export type ServerErrorCode = keyof typeof SERVER_ERRORS;
export type ErrorCode = ServerErrorCode | RejectionCode;

/** Every code a client can receive, server's and board's. */
export const ERROR_CODES: readonly ErrorCode[] = [...(Object.keys(SERVER_ERRORS) as ServerErrorCode[]), ...(Object.keys(REJECTIONS) as RejectionCode[])];

/** A board rejection is a conflict with the board's state (409) or bad content (422). */
const REJECTION_STATUS: Partial<Record<RejectionCode, number>> = { WRONG_PHASE: 409, TOO_EARLY: 409, TOO_LATE: 409, NOT_ENOUGH_SHARES: 409, NO_EXTENSION: 409, CREDENTIAL_HAS_CAST: 409 };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return (SERVER_ERRORS as Record<string, number>)[this.code] ?? REJECTION_STATUS[this.code as RejectionCode] ?? 422;
  }

  body(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.extra };
  }
}
