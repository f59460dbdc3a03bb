/**
 * Sealed parts: a message that carries a secret (a one-time code) is stored with its text masked, and its real
 * parts encrypted (AES-256-GCM, a fresh 96-bit IV each time) under a key only the gateway processes hold. The store,
 * its backups and every read API see the mask; the connector worker opens the seal just before the submit.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { gatewayError } from '../errors.ts';
import type { StoredEncoding } from './message-record.ts';

type SealedPart = Pick<StoredEncoding['parts'][number], 'seq' | 'text' | 'payloadHex'>;

export class PartSeal {
  private readonly key: Buffer;

  /** The key is derived (HKDF-SHA256) from the deployment's secret, apart from any other use of that secret. */
  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'smsgw message part seal', 32));
  }

  /** The stored form of a masked message: the masked parts, with the real ones sealed beside them. */
  seal(masked: StoredEncoding, real: StoredEncoding): StoredEncoding {
    const parts: SealedPart[] = real.parts.map((part) => ({ seq: part.seq, text: part.text, payloadHex: part.payloadHex }));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(parts), 'utf8'), cipher.final()]);
    return { ...masked, sealed: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  /** The parts as they are sent: the sealed ones put back in place of the mask. */
  open(stored: StoredEncoding): StoredEncoding {
    if (stored.sealed === undefined) return stored;
    const raw = Buffer.from(stored.sealed, 'base64');
    let parts: SealedPart[];
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      parts = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as SealedPart[];
    } catch (error: unknown) {
      throw gatewayError('GW_CORRUPT_RECORD', 'a sealed message could not be opened (another deployment secret?)', {}, { cause: error });
    }
    const { sealed: _sealed, ...rest } = stored;
    return { ...rest, parts: stored.parts.map((part) => ({ ...part, ...parts.find((p) => p.seq === part.seq) })) };
  }
}
