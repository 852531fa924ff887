// An independent SIWE signer, as a wallet does it: reads {privateKey, fields} as JSON on stdin,
// builds the EIP-4361 text with the siwe package and signs it with ethers (EIP-191
// personal_sign). Prints {message, signature}.
'use strict';
const {SiweMessage} = require('siwe');
const {ethers} = require('ethers');

let input = '';
process.stdin.on('data', d => (input += d));
process.stdin.on('end', async () => {
  try {
    const {privateKey, fields} = JSON.parse(input);
    const message = new SiweMessage(fields).prepareMessage();
    const signature = await new ethers.Wallet(privateKey).signMessage(message);
    process.stdout.write(JSON.stringify({message, signature}) + '\n');
  } catch (e) {
    process.stderr.write(String(e && e.stack || e) + '\n');
    process.exit(1);
  }
});
