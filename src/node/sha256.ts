import { createHash } from 'node:crypto';
import type { Sha256Factory } from '../oci/digest.js';

/** SHA-256 over `node:crypto`, for the core's digest checks. */
export const nodeSha256: Sha256Factory = () => {
  const hash = createHash('sha256');
  return {
    update(chunk) {
      hash.update(chunk);
    },
    digest: () => `sha256:${hash.digest('hex')}`,
  };
};
