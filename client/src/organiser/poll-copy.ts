/**
 * A new draft from one of her polls (POST /api/polls/:poll/copy): the server copies the texts and
 * settings; her browser gives the new poll what belongs to it alone. When she made the codes
 * herself, a fresh registrar key (made and kept here, never the source's); and the anchors of the new
 * poll (anchors.ts): the log key the copy's answer names, and the witness keys this device held for
 * the source (else the copy's, which she sees in the editor the console opens next).
 */
import { get, post } from '../lib/api.ts';
import { keepRegistrarKey, newRegistrarKey } from '../registrar/registrar-key.ts';
import { anchorsOf, keepAnchors } from './anchors.ts';
import type { PollDetail } from './poll-types.ts';

/** Copies `source` into a new draft; resolves with its detail. Throws ApiError as the API answers. */
export async function copyPoll(source: string): Promise<PollDetail> {
  const from = await get<PollDetail>(`/api/polls/${source}`);
  const was = from.draft.registrar ?? null;
  const key = was?.isOrganiser ? newRegistrarKey('') : null;
  const registrar = key && was ? { name: was.name, key: key.key, isOrganiser: true } : null;
  const made = await post<PollDetail>(`/api/polls/${source}/copy`, { registrar });
  if (key) keepRegistrarKey(made.id, { ...key, poll: made.id });
  keepAnchors(made.id, { logKey: made.logKey, witnessKeys: anchorsOf(source)?.witnessKeys ?? made.draft.witnesses?.keys ?? [] });
  return made;
}
