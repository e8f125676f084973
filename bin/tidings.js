#!/usr/bin/env node
// The `tidings` command: runs the compiled CLI, compiling it first when a source changed.
import { pathToFileURL } from 'node:url';
import { builtEntry } from '../scripts/build-cli.js';

await import(pathToFileURL(await builtEntry()).href);
