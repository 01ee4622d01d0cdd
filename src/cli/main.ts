#!/usr/bin/env node
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { compileCacheDir, enableCompileCache } from './compileCache';
import { runCli } from './runCli';

// `.env` is read when present; real environment variables win over it.
if (existsSync('.env')) process.loadEnvFile('.env');

const argv = process.argv.slice(2);
// serve and worker, once stopped, end here: a job handed back at the drain deadline (or a
// library's reconnect loop after a failed start) must not keep running, posting after its lease.
const service = argv[0] === 'serve' || argv[0] === 'worker';
const finish = (code: number): void => {
  if (service) process.exit(code);
  process.exitCode = code;
};

// Short-lived commands start faster from V8's code cache; a service's start-up is not a wait.
const cacheDir = service ? null : compileCacheDir(process.env);
if (cacheDir !== null) enableCompileCache(cacheDir);

if (service) {
  // Something a library started and nobody awaits (Socket Mode's reconnect after Slack revoked
  // the app token) would kill the process with a bare stack; say what stopped it, exit 1, and let
  // the supervisor's restart report the cause at start-up.
  process.on('unhandledRejection', (err: unknown) => {
    process.stderr.write(`portbot: stopping on an error nothing handled: ${String(err)}\n`);
    process.exit(1);
  });
}

runCli(argv, {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  now: () => performance.now(),
  ...(process.stderr.isTTY ? { stderrTty: (chunk: string) => process.stderr.write(chunk) } : {}),
}).then(
  (code) => finish(code),
  (err: unknown) => {
    process.stderr.write(`portbot: unexpected error: ${String(err)}\n`);
    finish(1);
  },
);
