// JWTs of the issuer (jose, HS256). The key lives in the data dir so tokens and sessions survive a
// restart. Consumer tokens are single-use: the owning shard records each `jti` it accepted.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

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
}

export class Jwt {
  private constructor(private readonly key: Uint8Array) {}

  static async open(dataDir: string): Promise<Jwt> {
    const file = path.join(dataDir, 'jwt.key');
    let key: Buffer;
    try {
      key = await fs.promises.readFile(file);
    } catch {
      key = crypto.randomBytes(32);
      await fs.promises.writeFile(file, key, { mode: 0o600, flag: 'wx' }).catch(async () => {
        key = await fs.promises.readFile(file);
      });
    }
    if (key.length < 32) throw new Error(`JWT key ${file} is shorter than 32 bytes`);
    return new Jwt(new Uint8Array(key));
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
    return { kind: 'agent', site: p.site, sub: p.sub, accountId: p.accountId, jti: p.jti, exp: p.exp };
  }
}
