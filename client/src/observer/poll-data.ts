/**
 * What the observer pages read of a poll (docs/api.md "Poll summary", "Poll detail"): the summary as
 * the server reports it, and the questions from the manifest itself, the bytes of board entry 0, so
 * that the page shows what the board holds rather than the server's JSON view of it. Spec §B.1.4.
 */
import { toHex, type AnswerShape } from '../../../crypto/index.ts';
import { decodeManifest, formatPollFingerprint, manifestShapes, parseVerifierKey, pollFingerprint, type Manifest } from '../../../bulletin-board/index.ts';
import { listedWeights, type ListedWeights } from '../../../verifier/index.ts';
import { fromBase64, get } from '../lib/api.ts';

export interface Turnout {
  readonly ballots: number;
  readonly voters: number;
  readonly audits?: number;
  readonly listed: number;
}

/** One credentials or revoke entry: where, when, how many listed or revoked, and whether voting was open. */
export interface RollEntry {
  readonly height: number;
  readonly time: number;
  readonly added: number;
  readonly revoked: number;
  readonly whileOpen: boolean;
}

export interface PollSummary {
  readonly id: string;
  readonly status: string;
  readonly languages: readonly string[];
  readonly title: readonly string[];
  readonly opensAt: number;
  /** the closing time in force, as the server reports it: the manifest's, or the last extension's */
  readonly closesAt: number;
  /** the board's extend entries, as the server reports them (the board explorer and the verifier show them from the entries) */
  readonly extensions: readonly { readonly height: number; readonly time: number; readonly closesAt: number }[];
  readonly closedEarly: boolean;
  /** the board's credentials and revoke entries, as the server reports them (the verifier checks the entries themselves, V44) */
  readonly roll: readonly RollEntry[];
  readonly entries: number;
  readonly turnout: Turnout;
}

export interface PollDetail extends PollSummary {
  readonly manifest: Manifest;
  readonly shapes: readonly AnswerShape[];
  /** the election fingerprint and joint key (hex); null until the trustees have made the key */
  readonly election: { readonly run: number; readonly fingerprint: string; readonly jointKey: string; readonly t: number } | null;
  /** the log's verifier key string (spec §B.3.3) */
  readonly logKey: string;
  /** B.1.5.1 the poll fingerprint, computed here from the manifest bytes, for people to compare with the notice */
  readonly pollFingerprint: string;
}

/** Every published poll, in creation order. Throws ApiError. */
export async function loadPolls(): Promise<PollSummary[]> {
  const body = await get<{ polls: PollSummary[] }>('/api/polls');
  return body.polls.filter((p) => p.status !== 'draft');
}

/** A published poll with its manifest decoded. Throws ApiError (NOT_FOUND), or Error when the manifest is missing or names another poll. */
export async function loadPoll(poll: string): Promise<PollDetail> {
  const detail = await get(`/api/polls/${poll}`);
  if (detail.manifest === null) throw new Error('the poll is not published yet');
  const bytes = fromBase64(detail.manifest);
  const manifest = decodeManifest(bytes);
  if (toHex(manifest.pollId) !== poll) throw new Error('the manifest is for another poll');
  return { ...detail, manifest, shapes: manifestShapes(manifest), pollFingerprint: formatPollFingerprint(pollFingerprint(bytes)) };
}

/** The first 16 hex digits of a fingerprint in groups of four, for people to compare aloud or on paper. */
export function shortFingerprint(hex: string): string {
  return groups(hex.slice(0, 16));
}

/** Hex in groups of four, upper case (easier to read out). */
export function groups(hex: string): string {
  return hex.toUpperCase().replace(/(.{4})(?!$)/g, '$1 ');
}

/** The witnesses a manifest names, by their key names (spec §B.1.4). */
export function witnessNames(manifest: Manifest): string[] {
  return manifest.witnesses.keys.map((k) => parseVerifierKey(k).name);
}

/**
 * The weights on the poll's voter lists, from its credentials and revoke entries on the board. Before
 * the open entry they are read in order; the few made while voting was open (spec §B.4.6.1, §B.4.6.8)
 * are read one by one at the heights the summary's `roll` names, rather than every ballot between
 * them. Throws ApiError, or DecodeError on an entry that does not decode.
 */
export async function loadListedWeights(poll: string, roll: readonly RollEntry[] = []): Promise<ListedWeights> {
  type Page = { size: number; entries: { height: number; type: string; bytes: string }[] };
  const lists: Uint8Array[] = [];
  const keep = (e: Page['entries'][number]) => {
    if (e.type === 'credentials' || e.type === 'revoke') lists.push(fromBase64(e.bytes));
  };
  let opened = false;
  for (let from = 0; !opened; ) {
    const page = await get<Page>(`/api/polls/${poll}/entries?from=${from}&limit=200`);
    for (const e of page.entries) {
      if (e.type === 'open') {
        opened = true;
        break;
      }
      keep(e);
    }
    from += page.entries.length;
    if (from >= page.size || page.entries.length === 0) break;
  }
  if (opened) {
    for (const r of roll.filter((x) => x.whileOpen)) {
      const page = await get<Page>(`/api/polls/${poll}/entries?from=${r.height}&limit=1`);
      const e = page.entries[0];
      if (e !== undefined && e.height === r.height) keep(e);
    }
  }
  return listedWeights(lists);
}
