// Compiles contracts/*.sol with solc-js (evmVersion shanghai, what ganache 7.9 runs) into
// <out>/contracts.json: {Name: {abi, bytecode}}. Skips the work when the sources are unchanged.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

function compile(outDir) {
  const dir = path.join(__dirname, 'contracts');
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.sol')).sort();
  const sources = {};
  const hash = crypto.createHash('sha256');
  for (const f of files) {
    const content = fs.readFileSync(path.join(dir, f), 'utf8');
    sources[f] = {content};
    hash.update(f).update('\0').update(content).update('\0');
  }
  const digest = hash.digest('hex');
  const out = path.join(outDir, 'contracts.json');
  if (fs.existsSync(out)) {
    const cached = JSON.parse(fs.readFileSync(out, 'utf8'));
    if (cached.sourceHash === digest) return cached.contracts;
  }
  const solc = require('solc');
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: 'shanghai',
      optimizer: {enabled: true, runs: 200},
      outputSelection: {'*': {'*': ['abi', 'evm.bytecode.object']}},
    },
  };
  const findImports = p => {
    try {
      return {contents: fs.readFileSync(require.resolve(p), 'utf8')};
    } catch (e) {
      return {error: 'not found: ' + p};
    }
  };
  const result = JSON.parse(solc.compile(JSON.stringify(input), {import: findImports}));
  const errors = (result.errors || []).filter(e => e.severity === 'error');
  if (errors.length) throw new Error(errors.map(e => e.formattedMessage).join('\n'));
  const contracts = {};
  for (const f of files) {
    for (const [name, c] of Object.entries(result.contracts[f] || {})) {
      if (c.evm.bytecode.object) contracts[name] = {abi: c.abi, bytecode: '0x' + c.evm.bytecode.object};
    }
  }
  fs.mkdirSync(outDir, {recursive: true});
  fs.writeFileSync(out, JSON.stringify({sourceHash: digest, solc: solc.version(), contracts}));
  return contracts;
}

module.exports = {compile};

if (require.main === module) {
  const c = compile(process.argv[2] || path.join(__dirname, 'build'));
  console.log(Object.keys(c).join(' '));
}
