// SPDX-License-Identifier: Apache-2.0
// Test contracts for chat-web3-ext's chain tests: anyone may mint, so tests set up balances freely.
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";

contract TestToken is ERC20 {
    constructor() ERC20("Parley Test Token", "PTT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

contract TestNft is ERC721 {
    constructor() ERC721("Parley Test NFT", "PNFT") {}

    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}

contract TestMultiToken is ERC1155 {
    constructor() ERC1155("https://example.invalid/{id}.json") {}

    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount, "");
    }
}
