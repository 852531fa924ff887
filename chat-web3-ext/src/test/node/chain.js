// Starts a ganache chain on 127.0.0.1 (a free port), funds the accounts whose keys come in
// PARLEY_CHAIN_KEYS (comma-separated 0x-hex private keys), deploys the test contracts from the
// first account and prints one JSON line: {port, chainId, contracts: {Name: address}}.
// OwnerWallet is deployed with the second account as its owner. Runs until stdin closes.
'use strict';
const path = require('path');
const ganache = require('ganache');
const {ethers} = require('ethers');
const {compile} = require('./compile');

async function main() {
  const keys = (process.env.PARLEY_CHAIN_KEYS || '').split(',').filter(Boolean);
  if (keys.length < 2) throw new Error('PARLEY_CHAIN_KEYS needs at least two keys');
  const contracts = compile(path.join(__dirname, 'build'));
  const server = ganache.server({
    logging: {quiet: true},
    chain: {chainId: 1337, hardfork: 'shanghai'},
    wallet: {accounts: keys.map(secretKey => ({secretKey, balance: '0x' + (10n ** 24n).toString(16)}))},
    miner: {instamine: 'eager'},
  });
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', e => (e ? reject(e) : resolve())));
  const port = server.address().port;
  const provider = new ethers.JsonRpcProvider('http://127.0.0.1:' + port, 1337, {staticNetwork: true});
  const deployer = new ethers.NonceManager(new ethers.Wallet(keys[0], provider));
  const owner = new ethers.Wallet(keys[1]).address;
  const deployed = {};
  for (const [name, c] of Object.entries(contracts)) {
    const args = name === 'OwnerWallet' ? [owner] : [];
    const contract = await new ethers.ContractFactory(c.abi, c.bytecode, deployer).deploy(...args);
    await contract.waitForDeployment();
    deployed[name] = await contract.getAddress();
  }
  provider.destroy();
  process.stdout.write(JSON.stringify({port, chainId: 1337, contracts: deployed}) + '\n');
  const stop = () => server.close().finally(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch(e => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
