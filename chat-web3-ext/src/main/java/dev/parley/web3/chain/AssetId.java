package dev.parley.web3.chain;

import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An NFT named the ENSIP-12 way, a CAIP-22 (ERC-721) or CAIP-29 (ERC-1155) asset id:
 * {@code eip155:<chainId>/erc721:<contract>/<tokenId>} or
 * {@code eip155:<chainId>/erc1155:<contract>/<tokenId>}.
 *
 * <p>Parsed strictly: the chain id is a decimal without leading zeros (≥ 1); the namespace and
 * standard are lower case; the contract is {@code 0x} and 40 hex digits, all lower case or
 * correctly EIP-55 checksummed; the token id is a decimal uint256 without leading zeros. Anything
 * else is {@link ChainError#MALFORMED_INPUT} ({@code bad_request}).
 *
 * <pre>{@code
 * AssetId a = AssetId.parse("eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/0");
 * }</pre>
 *
 * @param chainId  the EIP-155 chain id
 * @param standard ERC-721 or ERC-1155
 * @param contract the token contract, EIP-55 checksummed
 * @param tokenId  the token id
 * @since 0.1.0
 */
public record AssetId(long chainId, Standard standard, String contract, BigInteger tokenId) {
    private static final Pattern FORM = Pattern.compile(
            "eip155:([1-9][0-9]{0,18})/(erc721|erc1155):(0x[0-9a-fA-F]{40})/(0|[1-9][0-9]{0,77})");
    private static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /** The token standard, by its CAIP asset namespace. */
    public enum Standard {
        ERC721("erc721"), ERC1155("erc1155");

        private final String namespace;

        Standard(String namespace) {
            this.namespace = namespace;
        }

        public String namespace() {
            return namespace;
        }
    }

    public AssetId {
        Objects.requireNonNull(standard, "standard");
        contract = Addresses.checksummed(contract, "contract");
        if (chainId < 1) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "chain id must be ≥ 1");
        }
        if (tokenId == null || tokenId.signum() < 0 || tokenId.compareTo(MAX_UINT256) > 0) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "token id must be a uint256");
        }
    }

    /** @throws ChainException {@link ChainError#MALFORMED_INPUT} when {@code text} is not an asset id as above */
    public static AssetId parse(String text) {
        if (text == null || text.length() > 200) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "asset id must be eip155:<chainId>/erc721|erc1155:"
                    + "<contract>/<tokenId>");
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "not an asset id eip155:<chainId>/erc721|erc1155:"
                    + "<contract>/<tokenId>: " + text);
        }
        long chainId;
        try {
            chainId = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "chain id out of range: " + m.group(1));
        }
        Standard standard = m.group(2).equals("erc721") ? Standard.ERC721 : Standard.ERC1155;
        return new AssetId(chainId, standard, m.group(3), new BigInteger(m.group(4)));
    }

    /** The canonical text: {@code eip155:<chainId>/<standard>:<checksummed contract>/<tokenId>}. */
    @Override
    public String toString() {
        return "eip155:" + chainId + "/" + standard.namespace() + ":" + contract + "/" + tokenId;
    }
}
