#!/usr/bin/env node
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { runCli } from './runCli';

// `.env` is read when present; real environment variables win over it.
if (existsSync('.env')) process.loadEnvFile('.env');

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  now: () => performance.now(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`portbot: unexpected error: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
