// JWTs of the issuer (jose, HS256). The key lives in the data dir so tokens and sessions survive a
// restart. Consumer tokens are single-use: the owning shard records each `jti` it accepted.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { StoreOpenError } from '../store/data-dir.ts';

const ISS = 'parley-issuer';
const AUD = 'parley-chat';

export interface ConsumerClaims {
  kind: 'consumer';
  site: string;
  pool: string;
  sub: string;
  jti: string;
  exp: number;
  info: Record<string, unknown>;
}

export interface AgentClaims {
  kind: 'agent';
  site: string;
  sub: string;
  accountId: number;
  jti: string;
  exp: number;
  /** the password's stamp when the token was made (agent-credential.ts: keyed; 22 characters: a plain hash of older versions); absent in tokens of older still */
  credential?: string;
}

export class Jwt {
  private constructor(private readonly key: Uint8Array) {}

  /** `replacedEmpty`: the key file was empty and a new key was written in its place (see loadKey). */
  static async open(dataDir: string): Promise<{ jwt: Jwt; replacedEmpty: boolean }> {
    const { key, replacedEmpty } = await loadKey(path.join(dataDir, 'jwt.key'));
    return { jwt: new Jwt(new Uint8Array(key)), replacedEmpty };
  }

  /** A key for another use than signing (HMAC of the signing key under `label`): it lives and dies with this one. */
  derivedKey(label: string): Uint8Array {
    return new Uint8Array(crypto.createHmac('sha256', this.key).update(label).digest());
  }

  sign(claims: Record<string, unknown>, ttlSec: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISS)
      .setAudience(AUD)
      .setIssuedAt()
      .setJti(crypto.randomBytes(12).toString('base64url'))
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSec)
      .sign(this.key);
  }

  /** → the claims, or undefined when the token is forged, expired or malformed. */
  async verify(token: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISS, audience: AUD, algorithms: ['HS256'] });
      return payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  async verifyConsumer(token: string): Promise<ConsumerClaims | undefined> {
    const p = await this.verify(token);
    if (!p || p.kind !== 'consumer' || typeof p.site !== 'string' || typeof p.sub !== 'string' || typeof p.jti !== 'string' || typeof p.exp !== 'number') return undefined;
    const info = typeof p.info === 'object' && p.info !== null && !Array.isArray(p.info) ? (p.info as Record<string, unknown>) : {};
    return { kind: 'consumer', site: p.site, pool: typeof p.pool === 'string' ? p.pool : '1:1', sub: p.sub, jti: p.jti, exp: p.exp, info };
  }

  async verifyAgent(token: string): Promise<AgentClaims | undefined> {
    const p = await this.verify(token);
    if (!p || p.kind !== 'agent' || typeof p.site !== 'string' || typeof p.sub !== 'string' || typeof p.accountId !== 'number' || typeof p.jti !== 'string' || typeof p.exp !== 'number') return undefined;
    const claims: AgentClaims = { kind: 'agent', site: p.site, sub: p.sub, accountId: p.accountId, jti: p.jti, exp: p.exp };
    if (typeof p.credential === 'string') claims.credential = p.credential;
    return claims;
  }
}

const KEY_BYTES = 32;

/**
 * Reads the key, or creates it on the first start. An empty file is taken as absent and replaced:
 * a key shorter than 32 bytes was always refused, so no node ever signed a token with it, and the
 * only way to get one was a crash inside the first start's non-atomic write — which kept the node
 * from starting until an operator deleted the file. A short non-empty key is refused: tokens may
 * have been signed with whatever wrote it, and only the operator can say whether to keep them.
 */
async function loadKey(file: string): Promise<{ key: Buffer; replacedEmpty: boolean }> {
  let key: Buffer | undefined;
  try {
    key = await fs.promises.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreOpenError(`JWT key ${file} cannot be read: ${(e as Error).message}`);
  }
  if (key !== undefined && key.length > 0) {
    if (key.length < KEY_BYTES) {
      throw new StoreOpenError(`JWT key ${file} is ${key.length} bytes, expected at least ${KEY_BYTES}: restore it, or move it away to have a new one made (tokens signed with the old key stop working)`);
    }
    return { key, replacedEmpty: false };
  }
  return { key: await writeNewKey(file, key !== undefined), replacedEmpty: key !== undefined };
}

/**
 * Writes a new key so that `file` is never seen holding part of one: into a temp file, fsynced,
 * then moved in, and the dir fsynced so the move survives a power loss. A new file is linked in
 * (fails if another process made one meanwhile: the dir lock is Linux-only; its key is used
 * then); an empty one is renamed over.
 */
async function writeNewKey(file: string, replace: boolean): Promise<Buffer> {
  const tmp = `${file}.${process.pid}.tmp`;
  let key = crypto.randomBytes(KEY_BYTES);
  try {
    const fh = await fs.promises.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(key);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (replace) await fs.promises.rename(tmp, file);
    else {
      try {
        await fs.promises.link(tmp, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        key = await fs.promises.readFile(file);
        if (key.length < KEY_BYTES) throw new Error(`made meanwhile by another process, ${key.length} bytes`);
      }
    }
    const dir = await fs.promises.open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (e) {
    throw new StoreOpenError(`JWT key ${file} cannot be written: ${(e as Error).message}`);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
  return key;
}
