/**
 * Makes voter credentials off the page's thread (spec §C): for each voter a fresh code from the
 * browser's CSPRNG and the public key derived from it and the poll id. Posts progress as it goes.
 * In: { poll, count }. Out: { progress } messages, then { codes, keys } (keys: hex of the encoded point).
 */
import { deriveCredential, encodePoint, generateCredentialCode, toHex } from '../../../crypto/index.ts';

self.onmessage = (event: MessageEvent<{ poll: string; count: number }>) => {
  const { poll, count } = event.data;
  const id = Uint8Array.from(poll.match(/[0-9a-f]{2}/g) ?? [], (h) => parseInt(h, 16)); // the 16-byte poll id (§B)
  if (id.length !== 16) throw new Error('bug: not a poll id');
  const codes: string[] = [];
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const code = generateCredentialCode();
    codes.push(code);
    keys.push(toHex(encodePoint(deriveCredential(code, id).publicKey)));
    if (i % 20 === 19) self.postMessage({ progress: (i + 1) / count });
  }
  self.postMessage({ codes, keys });
};
