// SPDX-License-Identifier: Apache-2.0
// Minimal stand-ins for the ENS registry and public resolver, enough for reverse resolution
// (<addr>.addr.reverse -> name) and the forward check (name -> addr). Anyone may set anything:
// test contracts only.
pragma solidity ^0.8.20;

contract TestEnsRegistry {
    mapping(bytes32 => address) public resolver;

    function setResolver(bytes32 node, address resolver_) external {
        resolver[node] = resolver_;
    }
}

contract TestEnsResolver {
    mapping(bytes32 => address) private addrs;
    mapping(bytes32 => string) private names;

    function setAddr(bytes32 node, address a) external {
        addrs[node] = a;
    }

    function addr(bytes32 node) external view returns (address) {
        return addrs[node];
    }

    function setName(bytes32 node, string calldata n) external {
        names[node] = n;
    }

    function name(bytes32 node) external view returns (string memory) {
        return names[node];
    }
}
