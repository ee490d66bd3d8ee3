#!/usr/bin/env node
// Compiles the contracts with the pinned solc-js and writes one artifact per contract to
// contracts/build (ABI, bytecode, compiler version and settings).
//   node contracts/compile.mjs           write the artifacts
//   node contracts/compile.mjs --check   recompile and fail if the committed artifacts differ
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const require = createRequire(path.join(repo, 'tools', 'package.json'));
const solc = require('solc');

const SOURCE_DIRS = ['src', 'test-src'];
const SETTINGS = {
  optimizer: { enabled: true, runs: 10000 },
  evmVersion: 'cancun',
  viaIR: true,
  metadata: { bytecodeHash: 'none' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

function sources() {
  const out = {};
  for (const dir of SOURCE_DIRS) {
    for (const file of fs.readdirSync(path.join(here, dir)).filter((f) => f.endsWith('.sol')).sort()) {
      out[`${dir}/${file}`] = { content: fs.readFileSync(path.join(here, dir, file), 'utf8') };
    }
  }
  return out;
}

function findImports(importPath) {
  const resolved = path.join(here, importPath);
  return fs.existsSync(resolved) ? { contents: fs.readFileSync(resolved, 'utf8') } : { error: `not found: ${importPath}` };
}

function compile() {
  const input = { language: 'Solidity', sources: sources(), settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  for (const e of output.errors || []) console.error(e.formattedMessage);
  if (errors.length) process.exit(1);
  const artifacts = {};
  for (const [sourceName, contracts] of Object.entries(output.contracts)) {
    for (const [contractName, c] of Object.entries(contracts)) {
      if (!c.evm.bytecode.object) continue; // interfaces have no code to deploy
      artifacts[`${contractName}.json`] = JSON.stringify({
        contractName,
        sourceName,
        compiler: { name: 'solc', version: solc.version(), settings: { ...SETTINGS, outputSelection: undefined } },
        abi: c.abi,
        bytecode: '0x' + c.evm.bytecode.object,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
      }, null, 2) + '\n';
    }
  }
  return artifacts;
}

const buildDir = path.join(here, 'build');
const artifacts = compile();
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(buildDir) ? fs.readdirSync(buildDir).filter((f) => f.endsWith('.json')) : [];
  const stale = Object.keys(artifacts).filter((f) => !committed.includes(f)
    || fs.readFileSync(path.join(buildDir, f), 'utf8') !== artifacts[f]);
  const extra = committed.filter((f) => !(f in artifacts));
  if (stale.length || extra.length) {
    console.error(`contracts/build is out of date (differs: ${stale.join(', ') || '-'}; no source: ${extra.join(', ') || '-'}).`);
    console.error('Run: node contracts/compile.mjs');
    process.exit(1);
  }
  console.log(`contracts/build matches ${solc.version()} output for ${Object.keys(artifacts).length} contracts`);
} else {
  fs.mkdirSync(buildDir, { recursive: true });
  for (const f of fs.readdirSync(buildDir).filter((f) => f.endsWith('.json'))) fs.unlinkSync(path.join(buildDir, f));
  for (const [f, text] of Object.entries(artifacts)) fs.writeFileSync(path.join(buildDir, f), text);
  console.log(`wrote ${Object.keys(artifacts).length} artifacts to contracts/build with solc ${solc.version()}`);
}
