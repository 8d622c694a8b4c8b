// `node --import tsx --import ./record-modules.mjs script`: appends every module URL the process resolves to the file
// named by GRADEGUARD_MODULE_LOG (the module graph of one command, for tests that assert what production code loads).
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url, { data: { file: process.env.GRADEGUARD_MODULE_LOG } });
