/**
 * A new draft made from another poll (docs/api.md "Copy a poll"): from a draft's own fields, or from
 * a published poll's manifest as its board holds it (spec §B.1.4). What is copied is what the
 * organiser wrote: texts, questions, options, trustees' names and t of n, witnesses, the revote
 * policy, the privacy floor and the schedule rules. What belongs to one poll only is never copied:
 * the poll id, the log key, the registrar's key, trustee links and keys, and a time already past.
 */
import { MANIFEST_LIMITS, type Manifest } from '../../bulletin-board/index.ts';
import type { Draft, DraftRegistrar } from './draft.ts';

const utf8 = new TextEncoder();

/** The mark a copy's title carries, in the title's own language. */
function copyMark(language: string): string {
  return /^zh\b/i.test(language) ? '（副本）' : ' (copy)';
}

/** `title` with the copy mark, shortened (whole characters) so that it stays within the manifest's limit in bytes. */
function markedTitle(title: string, language: string): string {
  const mark = copyMark(language);
  const room = MANIFEST_LIMITS.title - utf8.encode(mark).length;
  let kept = '';
  for (const ch of title) {
    if (utf8.encode(kept + ch).length > room) break;
    kept += ch;
  }
  return kept + mark;
}

/**
 * The draft of a copy of `source`, at time `now`: each title marked as a copy in its language; each
 * time kept only while still in the future, else 0 (by hand); without a closing time, the rules for
 * changing it are dropped (B.1.4: they belong to a closing time). `registrar` is the new poll's (a
 * key made for it), or null: a copy never names the source's registrar key.
 */
export function copiedDraft(source: Draft, now: number, registrar: DraftRegistrar | null): Draft {
  const opensAt = source.opensAt > now ? source.opensAt : 0;
  const closesAt = source.closesAt > now ? source.closesAt : 0;
  return {
    languages: [...source.languages],
    title: source.title.map((t, i) => markedTitle(t, source.languages[i] ?? '')),
    description: [...source.description],
    questions: source.questions.map((q) => ({ question: structuredClone(q.question), prompt: [...q.prompt], options: q.options.map((o) => [...o]) })),
    trustees: { t: source.trustees.t, n: source.trustees.n, names: [...source.trustees.names] },
    opensAt,
    closesAt,
    maxBallots: source.maxBallots,
    registrar,
    witnesses: { keys: [...(source.witnesses?.keys ?? [])], k: source.witnesses?.k ?? 0 },
    privacyFloor: source.privacyFloor ?? 1,
    closeEarly: closesAt === 0 ? 'never' : (source.closeEarly ?? 'never'),
    maxExtension: closesAt === 0 ? 0 : (source.maxExtension ?? 0),
  };
}

/** The organiser's fields of a published manifest as a draft (its registrar left out: see copiedDraft). */
export function manifestDraft(m: Manifest): Draft {
  return {
    languages: [...m.languages],
    title: [...m.title],
    description: [...m.description],
    questions: m.questions.map((q) => ({ question: structuredClone(q.question), prompt: [...q.prompt], options: q.options.map((o) => [...o]) })),
    trustees: { t: m.trustees.t, n: m.trustees.n, names: [...m.trustees.names] },
    opensAt: m.opensAt,
    closesAt: m.closesAt,
    maxBallots: m.maxBallots,
    registrar: null,
    witnesses: { keys: [...m.witnesses.keys], k: m.witnesses.k },
    privacyFloor: m.privacyFloor,
    closeEarly: m.closeEarly,
    maxExtension: m.maxExtension,
  };
}
