/**
 * Board entries for people: each type's name, the groups the board explorer filters by, and the
 * decoded content of an entry summarised in words (spec §B.1.6). Decoding uses the board's own
 * codecs; nothing here judges an entry (the verifier does that).
 */
import { DecodeError, formatTracker, toHex, type AnswerShape } from '../../../crypto/index.ts';
import { decodeEntry, decodePayload, type EntryTypeName, type Manifest } from '../../../bulletin-board/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import { lang, num, pollText, t, timeIn } from '../lib/i18n.svelte.ts';
import { groups } from './poll-data.ts';

/** What the explorer's filter offers, each a set of entry types (spec §B.1.2). */
export const ENTRY_GROUPS = {
  ballots: ['ballot'],
  audits: ['audit'],
  voters: ['credentials'],
  ceremony: ['ceremony', 'step', 'trustee', 'key'],
  openClose: ['open', 'close'],
  count: ['tally', 'decryption', 'result'],
  manifest: ['manifest'],
} as const satisfies Record<string, readonly EntryTypeName[]>;
export type EntryGroup = keyof typeof ENTRY_GROUPS;

/** True when an entry of `type` is shown under `group` ('all' shows every entry). */
export function inGroup(type: string, group: EntryGroup | 'all'): boolean {
  return group === 'all' || (ENTRY_GROUPS[group] as readonly string[]).includes(type);
}

/** A filter group's name in words. */
export function groupName(group: EntryGroup | 'all'): string {
  return t(`observer.group.${group}` as MessageKey);
}

const TYPES: readonly string[] = ['manifest', 'credentials', 'ceremony', 'step', 'trustee', 'key', 'open', 'ballot', 'audit', 'close', 'tally', 'decryption', 'result', 'extend', 'revoke'];

/** An entry type's name in words. */
export function typeName(type: string): string {
  return TYPES.includes(type) ? t(`observer.type.${type}` as MessageKey) : type;
}

/** A board time with seconds, in the page language. */
export function entryTime(ms: number): string {
  return timeIn(lang(), ms, 'second');
}

/** Hex text as bytes (hex from the server's listing; never a point). */
export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/** A tracker (hex) as voters see it on their receipt: base32 in groups of four (spec §Q.7.2). */
export function trackerWords(hex: string): string {
  return formatTracker(hexBytes(hex));
}

export interface EntryContext {
  /** the poll's manifest: trustee names, languages, and the answer shapes ballots decode with */
  readonly manifest: Manifest;
  readonly shapes: readonly AnswerShape[];
}

/** The entry's content summarised in sentences, in the page language; a payload that does not decode says so. */
export function describeEntry(bytes: Uint8Array, ctx: EntryContext): string[] {
  const m = ctx.manifest;
  const trustee = (index: number) => t('observer.entry.trustee', { name: m.trustees.names[index - 1] ?? '?', index: num(index) });
  try {
    const raw = decodeEntry(bytes);
    const c = decodePayload(raw.type, raw.payload, { shapes: ctx.shapes as AnswerShape[] });
    switch (c.type) {
      case 'manifest': {
        const mm = c.manifest;
        return [
          t('observer.entry.manifest', { title: pollText(mm.languages, mm.title), questions: num(mm.questions.length) }),
          t('observer.entry.manifestTrustees', { t: num(mm.trustees.t), n: num(mm.trustees.n) }),
        ];
      }
      case 'credentials': {
        const weight = c.credentials.reduce((s, x) => s + x.weight, 0);
        return [t('observer.entry.credentials', { count: num(c.credentials.length), weight: num(weight) })];
      }
      case 'ceremony':
        return [t('observer.entry.ceremony', { run: num(c.run) })];
      case 'step':
        return [t('observer.entry.step', { run: num(c.run), step: num(c.step) })];
      case 'trustee': {
        const msg = c.message;
        const what = msg.kind === 'complaint' ? t('observer.kind.complaint', { accused: trustee(msg.accused) }) : t(`observer.kind.${msg.kind}` as MessageKey);
        return [`${trustee(msg.index)}: ${what}`];
      }
      case 'key':
        return [t('observer.entry.key', { run: num(c.key.run), qualified: num(c.key.verificationKeys.length) }), t('observer.entry.fingerprint', { fingerprint: groups(toHex(c.key.fingerprint)) })];
      case 'open':
        return [t('observer.entry.open')];
      case 'close':
        return [t('observer.entry.close')];
      case 'extend':
        return [t('observer.entry.extend', { when: entryTime(c.closesAt) })];
      case 'revoke':
        return [t('observer.entry.revoke', { count: num(c.keys.length) })];
      case 'ballot':
        return [t('observer.entry.ballot', { answers: num(c.ballot?.answers.length ?? 0) })];
      case 'audit':
        return [t('observer.entry.audit', { answers: num(c.ballot.answers.length) })];
      case 'tally':
        return [t('observer.entry.tally', { counted: num(c.tally.counted), weight: num(c.tally.weight), sums: num(c.tally.ciphertexts.length) })];
      case 'decryption':
        return [`${trustee(c.message.index)}: ${t('observer.kind.decryption', { shares: num(c.message.shares.length) })}`];
      case 'result':
        return [t('observer.entry.result', { totals: c.totals.map((v) => num(v)).join(', ') })];
    }
  } catch (e) {
    if (e instanceof DecodeError) return [t('observer.entry.undecodable', { reason: e.message })];
    throw e;
  }
}
