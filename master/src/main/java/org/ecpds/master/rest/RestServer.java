package org.ecpds.master.rest;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.ws.rs.ext.ContextResolver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
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

  /**
   * Jersey 4 checks every registered instance as a provider, and for a resource instance it passes
   * "not a resource" (ResourceModelConfigurator looks the instance's class up among resource
   * classes), so each resource instance logs "A provider ... will be ignored" although it is served.
   * Warnings naming one of our resource classes (none is a provider) are dropped; any other
   * provider warning still shows. Held in a
   * field: java.util.logging keeps loggers weakly, and a collected logger would lose its filter.
   */
  private static final Logger JERSEY_PROVIDERS = Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");
  private static final Set<String> RESOURCE_CLASSES = ConcurrentHashMap.newKeySet();

  static {
    JERSEY_PROVIDERS.setFilter(r -> r.getLevel() != Level.WARNING || r.getMessage() == null
        || RESOURCE_CLASSES.stream().noneMatch(r.getMessage()::contains));
  }

  public RestServer(String host, int port, TlsMaterial tls, BasicAuthFilter auth, List<Object> resources) {
    this(host, port, tls, auth, new ApiServiceFilter(java.util.Map.of()), resources);
  }

  public RestServer(String host, int port, TlsMaterial tls, BasicAuthFilter auth, ApiServiceFilter services,
      List<Object> resources) {
    resources.forEach(r -> RESOURCE_CLASSES.add(r.getClass().getName()));
    RESOURCE_CLASSES.add(VersionResource.class.getName());
    ResourceConfig rc = new ResourceConfig();
    rc.register(JacksonFeature.withoutExceptionMappers());
    ObjectMapper mapper = strictMapper();
    rc.register(new StrictMapper(mapper));
    rc.register(new ApiErrors());
    rc.register(auth);
    rc.register(services);
    rc.register(new ForbiddenAudit());
    rc.register(new DrainUnreadBody());
    rc.register(new VersionResource());
    resources.forEach(rc::register);
    rc.property("jersey.config.server.wadl.disableWadl", true);

    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("ecpds-rest");
    server = new Server(pool);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(new String(TlsMaterial.STORE_PASSWORD));
    HttpConfiguration http = org.ecpds.common.jetty.JettyHttp.configuration();
    http.setSendServerVersion(false);
    RequestLimits.configure(http);
    SecureRequestCustomizer src = new SecureRequestCustomizer();
    src.setSniHostCheck(false);
    http.addCustomizer(src);
    connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath(BASE);
    ServletHolder jersey = new ServletHolder(new ServletContainer(rc));
    jersey.setAsyncSupported(true); // long polls (datafile/group/{name}?wait=) hold no thread
    ctx.addServlet(jersey, "/*");
    server.setHandler(new RequestLimits(ctx));
    JsonErrorHandler errors = new JsonErrorHandler();
    server.setErrorHandler(errors);
    ctx.setErrorHandler(errors);
  }

  /**
   * Strict JSON: a duplicate key, an unknown field, a string or a fraction where a number is
   * expected, a number where text or true/false is expected, and trailing content are all refused
   * (400 naming the field) instead of being silently coerced or overwritten.
   */
  /** A named provider: Jersey cannot see the type argument of a lambda and ignored it. */
  @jakarta.ws.rs.ext.Provider
  static final class StrictMapper implements ContextResolver<ObjectMapper> {
    private final ObjectMapper mapper;

    StrictMapper(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
      return mapper;
    }
  }

  static ObjectMapper strictMapper() {
    ObjectMapper m = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    refuse(m, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float, CoercionInputShape.Boolean,
        CoercionInputShape.EmptyString);
    refuse(m, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
    refuse(m, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer, CoercionInputShape.Float,
        CoercionInputShape.EmptyString);
    refuse(m, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
    return m;
  }

  private static void refuse(ObjectMapper m, LogicalType type, CoercionInputShape... shapes) {
    for (CoercionInputShape shape : shapes) m.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
  }

  /** Serves /metrics beside the API for a scraper with the token (before {@link #start}). */
  public void serveMetrics(io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry, String token) {
    server.setHandler(new org.ecpds.common.metrics.MetricsEndpoint(server.getHandler(), registry, token));
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
