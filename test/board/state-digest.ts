/**
 * Test support: everything the rules remember (spec §B.4.1) as one comparable value, so that a board
 * reopened one way can be compared with the same board replayed another.
 */
import { createHash } from 'node:crypto';
import { toHex } from '../../crypto/index.ts';
import { encodeTally, type BoardState } from '../../bulletin-board/index.ts';

function sha(parts: Iterable<string>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:${p}`);
  return h.digest('hex');
}

/** The state in full: every credential's ledger, every tracker and component (sorted), the phases' records. */
export function stateDigest(s: BoardState) {
  return {
    height: s.height,
    head: s.head && toHex(s.head),
    time: s.time,
    phase: s.phase,
    manifestHash: s.manifestHash && toHex(s.manifestHash),
    closesAt: s.closesAt,
    extensions: s.extensions.map((x) => `${x.height}:${x.time}:${x.closesAt}`),
    closedEarly: s.closedEarly,
    credentials: [...s.credentials].map(([id, v]) => `${id}:${v.weight}:${v.ballots}:${v.audits}:${v.last === null ? '-' : toHex(v.last)}`),
    revoked: [...s.revoked].map(([id, r]) => `${id}:${r.height}:${r.time}:${r.weight}`),
    roll: s.roll.map((r) => `${r.height}:${r.time}:${r.added}:${r.revoked}:${r.whileOpen}`),
    listedWeight: s.listedWeight,
    ceremony: s.ceremony && {
      run: s.ceremony.run,
      step: s.ceremony.step,
      record: Object.entries(s.ceremony.record).map(([k, list]) => `${k}:${list.map((m) => m.index).join(',')}`),
      outcome: s.ceremony.outcome && toHex(s.ceremony.outcome.transcript),
    },
    election: s.election && toHex(s.election.fingerprint),
    trackers: sha([...s.trackers.values()].map((t) => toHex(t)).sort()),
    trackerCount: s.trackers.size,
    components: sha([...s.components.values()].map((c) => toHex(c)).sort()),
    componentCount: s.components.size,
    ballots: s.ballots,
    audits: s.audits,
    tally: s.tally && toHex(encodeTally(s.tally)),
    decryptions: [...s.decryptions.keys()],
    result: s.result,
  };
}
