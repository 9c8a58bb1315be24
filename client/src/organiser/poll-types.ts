/** The shapes of the API's poll answers the console reads (docs/api.md "Poll summary", "Poll detail", "Ceremony progress"). */
import type { Draft } from './draft-form.ts';

export interface Turnout {
  ballots: number;
  voters: number;
  audits: number;
  listed: number;
}

export interface PollSummary {
  id: string;
  origin: string;
  status: string;
  languages: string[];
  title: string[];
  opensAt: number;
  /** the closing time in force: the manifest's, or the last extension's */
  closesAt: number;
  /** the board's extend entries (spec B.4.6.7) */
  extensions: { height: number; time: number; closesAt: number }[];
  /** closed before the closing time in force, as the manifest allowed */
  closedEarly: boolean;
  created: number;
  entries: number;
  turnout: Turnout;
  /** who made the poll (GET /api/organiser/polls only; a server is one committee) */
  madeBy?: string | null;
}

export interface PollDetail extends PollSummary {
  draft: Draft;
  manifest: string | null;
  /** the log's verifier key (docs/api.md "Poll detail") */
  logKey: string;
  election: { run: number; fingerprint: string; jointKey: string; t: number } | null;
}

export interface CeremonyProgress {
  run: number;
  step: number;
  expected: number[];
  spoken: number[];
  /** each trustee's key fingerprint in the current (or last) run, at index − 1; null before her keys */
  fingerprints: (string | null)[];
}
