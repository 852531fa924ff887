package dev.parley.web3.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An independent signer: the siwe npm package writes the EIP-4361 text from fields and ethers
 * signs it with {@code personal_sign}, as a browser wallet does ({@code sign-siwe.js}).
 */
final class SiweSigner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SiweSigner() {
    }

    /** @return {@code message} (the exact text) and {@code signature} */
    static JsonNode sign(NodeTooling tooling, String privateKey, Map<String, Object> fields)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "sign-siwe.js").directory(tooling.dir().toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(Map.of("privateKey", privateKey, "fields", fields)));
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("sign-siwe.js failed: " + err);
        }
        return JSON.readTree(out);
    }
}
