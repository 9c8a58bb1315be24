/** node:crypto's SHA-256 in place of noble's for the protocol's hashes (§G.3): the same digests, faster in Node. */
import { createHash } from 'node:crypto';
import { useSha256 } from '../../crypto/index.ts';

/** Makes every taggedHash of this process use node:crypto (checked against noble's first, see useSha256). */
export function useNodeSha256(): void {
  useSha256((parts) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  });
}
