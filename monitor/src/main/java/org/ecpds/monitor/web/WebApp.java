package org.ecpds.monitor.web;

import io.grpc.Channel;
import java.time.Clock;
import java.time.Duration;
import org.ecpds.common.auth.LoginGuard;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** Wires the monitor's pages onto one servlet context; the HTTP listener is the caller's concern. */
public final class WebApp {
  private final MasterClient master;
  private final SessionStore sessions;
  private final LoginGuard loginGuard;

  public WebApp(Channel channel, String clusterSecret, Duration masterDeadline, LoginGuard loginGuard) {
    this.master = new MasterClient(channel, clusterSecret, masterDeadline);
    this.sessions = new SessionStore(Clock.systemUTC());
    this.loginGuard = loginGuard;
  }

  public ServletContextHandler handler() {
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    ErrorHandler errors = new ErrorHandler();
    // Jetty's own error pages (bad URIs, 404 outside our servlets) must never show internals.
    errors.setShowStacks(false);
    errors.setShowMessageInTitle(false);
    context.setErrorHandler(errors);

    add(context, new HomeServlet(master, sessions), "");
    add(context, new LoginServlet(master, sessions, loginGuard), "/login");
    add(context, new LogoutServlet(master, sessions), "/logout");
    add(context, new DestinationServlet(master, sessions), "/destination/*");
    add(context, new ConfigServlet(master, sessions), "/config");
    add(context, new RatesServlet(master, sessions), "/rates/*");
    add(context, new AssetServlet(), "/assets/*");
    return context;
  }

  private static void add(ServletContextHandler context, jakarta.servlet.Servlet servlet, String path) {
    context.addServlet(new ServletHolder(servlet), path);
  }
}
