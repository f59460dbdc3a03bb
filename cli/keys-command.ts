import type { Command } from 'commander';
import { hash as hashArgon2 } from '@node-rs/argon2';
import { checkApiKey, hashApiKey, newApiKey } from '../gateway/index.ts';
import { cliError } from './cli-errors.ts';

interface NewFlags {
  readonly prefix: string;
  readonly json?: boolean;
}

/**
 * `smsgw keys new`: a fresh random key (an account API key, or the admin token) and the SHA-256 hash the
 * configuration holds. The key goes to stdout this once and is kept nowhere. `smsgw keys hash` hashes a key read
 * from stdin (not an argument: arguments show in `ps` and shell history).
 */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('make API keys and admin tokens, and their hashes for the configuration');
  keys
    .command('new')
    .description('print a new random key and its SHA-256 hash (accounts[].apiKeyHashes or server.adminTokenHash); the key is shown only this once')
    .option('--prefix <text>', 'text before the random part (e.g. live_), A-Z a-z 0-9 _ -', '')
    .option('--json', 'print {"key","hash"} as JSON')
    .action((flags: NewFlags) => {
      const key = newApiKey(flags.prefix);
      const hash = hashApiKey(key);
      process.stdout.write(flags.json === true ? `${JSON.stringify({ key, hash })}\n` : `key:  ${key}\nhash: ${hash}\n`);
      process.stderr.write('Give the key to its holder now (it is not stored); put only the hash in the configuration, then reload (SIGHUP or POST /v1/admin/reload).\n');
    });
  keys
    .command('hash')
    .description('print the SHA-256 hash of a key read from stdin (one line)')
    .action(async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      const key = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
      checkApiKey(key, 'the key on stdin');
      process.stdout.write(`${hashApiKey(key)}\n`);
    });
  keys
    .command('password')
    .description('print the argon2id hash of a console password read from stdin (one line), for accounts[].consoleUsers[].passwordHash')
    .action(async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
      if (password.length < CONSOLE_PASSWORD_MIN_LENGTH) {
        throw cliError('CLI_INVALID_OPTION', `the password on stdin has ${password.length} characters; a console password needs at least ${CONSOLE_PASSWORD_MIN_LENGTH}`, { field: 'stdin' });
      }
      process.stdout.write(`${await hashArgon2(password)}\n`);
    });
}

/** NIST SP 800-63B's floor for a memorised secret chosen by its holder. */
const CONSOLE_PASSWORD_MIN_LENGTH = 8;
