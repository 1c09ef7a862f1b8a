package org.ecpds.master.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ext.ContextResolver;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.ecpds.common.tls.TlsMaterial;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/** The REST/JSON API (/ecpds/v1) on Jetty over HTTPS only. */
public final class RestServer implements AutoCloseable {
  public static final String BASE = "/ecpds/v1";
  private final Server server;
  private final ServerConnector connector;

  public RestServer(String host, int port, TlsMaterial tls, BasicAuthFilter auth, List<Object> resources) {
    ResourceConfig rc = new ResourceConfig();
    rc.register(JacksonFeature.withoutExceptionMappers());
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    rc.register((ContextResolver<ObjectMapper>) type -> mapper);
    rc.register(new ApiErrors());
    rc.register(auth);
    rc.register(new VersionResource());
    resources.forEach(rc::register);
    rc.property("jersey.config.server.wadl.disableWadl", true);

    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("ecpds-rest");
    server = new Server(pool);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(new String(TlsMaterial.STORE_PASSWORD));
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    SecureRequestCustomizer src = new SecureRequestCustomizer();
    src.setSniHostCheck(false);
    http.addCustomizer(src);
    connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath(BASE);
    ctx.addServlet(new ServletHolder(new ServletContainer(rc)), "/*");
    server.setHandler(ctx);
  }

  public void start() throws Exception {
    server.start();
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
