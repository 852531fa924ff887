package dev.parley.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.web3j.crypto.ECKeyPair;

/**
 * "Sign in with Ethereum" in the demo UI, in headless Chromium: the page gets a
 * {@code window.ethereum} (EIP-1193) backed by an ethers {@code Wallet} that answers like
 * MetaMask (a lower-case account; {@code personal_sign} of the hex-encoded text), so the
 * message the browser client builds is signed by an independent implementation and verified by
 * the server.
 */
class SiweBrowserTest {
    /** An injected provider; {@code %s} is the private key. Calls are recorded in {@code window.ethereum.calls}. */
    private static final String PROVIDER = """
            (() => {
              const wallet = new ethers.Wallet("%s");
              window.ethereum = {
                calls: [],
                async request({ method, params }) {
                  this.calls.push(method);
                  switch (method) {
                    case "eth_requestAccounts":
                      return [wallet.address.toLowerCase()];
                    case "eth_chainId":
                      return "0x539";
                    case "personal_sign": {
                      const [data, account] = params;
                      if (account.toLowerCase() !== wallet.address.toLowerCase()) throw new Error("unknown account");
                      return wallet.signMessage(ethers.getBytes(data));
                    }
                    default:
                      throw Object.assign(new Error(method + " is not supported"), { code: 4200 });
                  }
                },
              };
            })();
            """;

    @TempDir
    Path dataDir;
    private DemoFixture demo;
    private String ethers;

    @BeforeEach
    void start() {
        Browser.requireInstalled();
        ethers = EthersBundle.umd();
        demo = new DemoFixture(dataDir);
    }

    @AfterEach
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void walletSignsInAsItsChecksummedAddressAndChatsWithAPasswordUser() throws Exception {
        ECKeyPair key = org.web3j.crypto.Keys.createEcKeyPair();
        String address = org.web3j.crypto.Keys.toChecksumAddress(org.web3j.crypto.Keys.getAddress(key));
        String shortName = address.substring(0, 6) + "…" + address.substring(38);
        demo.register("bob", "Bob");
        try (Browser wallet = Browser.open("wallet", 1100, 720); Browser bob = Browser.open("bob", 1100, 720)) {
            wallet.addInitScript(ethers + "\n" + PROVIDER.formatted("0x" + String.format("%064x", key.getPrivateKey())));

            bob.get(demo.url());
            bob.visible("#login-form");
            assertThat(bob.find("#siwe").isDisplayed()).as("no wallet in this browser: no button").isFalse();
            bob.type("#login-form input[name=username]", "bob");
            bob.type("#login-form input[name=password]", DemoFixture.PASSWORD);
            bob.click("#login-button");
            bob.visible("#app");

            wallet.get(demo.url());
            wallet.click("#siwe-button");
            wallet.visible("#app");
            wallet.text("#me-name", shortName);
            wallet.until("connected", d -> wallet.textOf("#conn-state").isBlank());
            wallet.visible("#me-wallet");
            assertThat(wallet.attr("#me-wallet", "title")).as("the checksummed address").isEqualTo(address);
            assertThat(wallet.find("#me-nft").isDisplayed()).as("no NFT avatar").isFalse();
            assertThat(wallet.js("return window.ethereum.calls")).isEqualTo(
                    List.of("eth_requestAccounts", "eth_chainId", "personal_sign"));
            String token = (String) wallet.js("return sessionStorage.getItem('parley.token')");
            assertThat(demo.get("/api/v1/me", token).at("/user/id").asText()).isEqualTo(address);
            wallet.screenshot("siwe-01-signed-in");

            wallet.type("#new-direct input[name=username]", "bob");
            wallet.press("#new-direct input[name=username]", Keys.ENTER);
            wallet.visible("#composer");
            wallet.type("#composer textarea", "gm from my wallet");
            wallet.press("#composer textarea", Keys.ENTER);

            bob.text("#conversations li .name", shortName);
            bob.click("#conversations li .conv");
            bob.text("#messages li.msg", "gm from my wallet");
            bob.type("#composer textarea", "gm, wallet");
            bob.press("#composer textarea", Keys.ENTER);
            wallet.text("#messages", "gm, wallet");
            wallet.screenshot("siwe-02-chat");
            wallet.assertNoScriptErrors();
            bob.assertNoScriptErrors();
        }
    }

    @Test
    void aRefusedSignInShowsTheServersReason() throws Exception {
        ECKeyPair key = org.web3j.crypto.Keys.createEcKeyPair();
        try (Browser wallet = Browser.open("wallet-refused", 1100, 720)) {
            // The wallet signs with another key than the account it names: the server refuses.
            wallet.addInitScript(ethers + "\n" + PROVIDER.formatted("0x" + String.format("%064x", key.getPrivateKey()))
                    + "\nconst realRequest = window.ethereum.request.bind(window.ethereum);"
                    + "\nconst other = ethers.Wallet.createRandom();"
                    + "\nwindow.ethereum.request = async (a) => a.method === 'personal_sign'"
                    + " ? other.signMessage(ethers.getBytes(a.params[0])) : realRequest(a);");
            wallet.get(demo.url());
            wallet.click("#siwe-button");
            wallet.text("#siwe-error", "signature_mismatch");
            assertThat(wallet.find("#app").isDisplayed()).isFalse();
        }
    }
}
