package dev.parley.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.RawHttp;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet's own path checks, with Jetty's URI checks switched off (as a host application's
 * container might have them): traversal must still fail inside the servlet.
 */
class ClasspathResourceServletTest {
    private static final String SECRET = "TOP-SECRET-OUTSIDE-THE-WEB-ROOT";
    private Server jetty;
    private int port;

    @BeforeEach
    void start() throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(new ServletHolder(ClasspathResourceServlet.directory(
                getClass().getClassLoader(), "dev/parley/server/testweb")), "/");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void traversalFailsInTheServletItselfWhenTheContainerLetsItThrough() throws Exception {
        assertThat(RawHttp.get(port, "/index.html").status()).isEqualTo(200);
        for (String path : new String[] {"/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/..%5csecret.txt",
            "/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt", "/.%2e/secret.txt", "/..;/secret.txt"}) {
            RawHttp.Response response = RawHttp.get(port, path);
            assertThat(response.status()).as(path).isNotEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain(SECRET);
        }
    }

    @Test
    void aRootOutsideAPlainClasspathDirectoryIsRefused() {
        for (String root : new String[] {"", "/", "a/../b", "a/./b", ".hidden", "a\\b"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClasspathResourceServlet.normalizeRoot(root))
                    .as(root).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ClasspathResourceServlet.normalizeRoot("/web/app/")).isEqualTo("web/app");
    }
}
