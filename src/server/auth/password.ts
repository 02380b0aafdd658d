// Passwords as Argo CD stores them: bcrypt hashes (cost 10, golang.org/x/crypto
// bcrypt's default) in argocd-secret; blank passwords are refused. The initial
// admin password is 16 random letters and digits, as Argo CD generates it.
import { randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';

export const bcryptCost = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, bcryptCost);
}

/** True when `password` matches the bcrypt `hash` (false for a blank password or a malformed hash). */
export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  if (password === '' || hash === undefined || hash === '') return false;
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

const charset = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function generatePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += charset[randomInt(charset.length)];
  return out;
}
