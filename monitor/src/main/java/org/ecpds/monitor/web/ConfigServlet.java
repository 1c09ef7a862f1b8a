package org.ecpds.monitor.web;

import io.grpc.StatusRuntimeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.proto.ConfigReply;
import org.ecpds.proto.CreateDestinationRequest;
import org.ecpds.proto.CreateHostRequest;
import org.ecpds.proto.CreateIncomingUserRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "/config": the configuration forms. A POST becomes one AdminService call carrying the session
 * token the master issued at this user's login; the master checks the role and validates the values, and its refusal is shown next to
 * the form with its 4xx status. The monitor forwards a read-only user's forged form like any other:
 * refusing it is the master's job, so hiding the forms is never the only protection.
 */
final class ConfigServlet extends BaseServlet {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigServlet.class);
  private static final List<Layout.Crumb> CRUMBS = List.of(new Layout.Crumb("Overview", "/"),
      new Layout.Crumb("Configuration", null));

  ConfigServlet(MasterClient master, SessionStore sessions) {
    super(master, sessions);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Session session = requireSession(req, resp);
    if (session == null) return;
    sendPage(resp, 200, Layout.page("Configuration", session, CRUMBS, takeFlash(req, session),
        ConfigForms.render(session, null, Map.of()), false));
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Session session = requireSession(req, resp);
    if (session == null) return;
    if (!session.csrfMatches(req.getParameter("csrf"))) {
      sendRefusal(resp, session, 403, "This form was not sent by your monitor session; reload the page and retry.",
          "/config");
      return;
    }
    String form = param(req, "form");
    Map<String, String> values = values(req);
    ConfigReply reply;
    try {
      reply = switch (form) {
        case ConfigForms.DESTINATION -> master.createDestination(CreateDestinationRequest.newBuilder()
            .setUser(session.user()).setSessionToken(session.masterToken()).setName(param(req, "name")).setComment(param(req, "comment"))
            .setMaxConnections(number(req, "max_connections", "Max connections")).build());
        case ConfigForms.HOST -> master.createHost(CreateHostRequest.newBuilder().setUser(session.user()).setSessionToken(session.masterToken())
            .setName(param(req, "name")).setDestination(param(req, "destination"))
            .setTransferMethod(param(req, "transfer_method")).setAddress(param(req, "address"))
            .setPort(number(req, "port", "Port")).setLogin(param(req, "login"))
            .setPassword(rawParam(req, "password")).setDirectory(param(req, "directory")).build());
        case ConfigForms.USER -> master.createIncomingUser(CreateIncomingUserRequest.newBuilder()
            .setUser(session.user()).setSessionToken(session.masterToken()).setName(param(req, "name")).setPassword(rawParam(req, "password"))
            .setEmail(param(req, "email")).setDestination(param(req, "destination"))
            .setCanGet(req.getParameter("can_get") != null).setCanPut(req.getParameter("can_put") != null)
            .setCanDelete(req.getParameter("can_delete") != null).build());
        default -> ConfigReply.newBuilder().setHttpStatus(400).setMessage("unknown form").build();
      };
    } catch (NotANumber e) {
      reply = ConfigReply.newBuilder().setHttpStatus(400).setMessage(e.getMessage()).build();
    } catch (StatusRuntimeException e) {
      LOG.warn("{} form of {} failed: {}", form, session.user(), e.getStatus());
      refused(resp, session, form, values, MasterErrors.httpStatus(e), MasterErrors.describe(e, master));
      return;
    }
    LOG.info("{} submitted the {} form: ok={} {}", session.user(), form, reply.getOk(), reply.getMessage());
    if (!reply.getOk()) {
      int status = reply.getHttpStatus() >= 400 && reply.getHttpStatus() < 500 ? reply.getHttpStatus() : 400;
      refused(resp, session, form, values, status, "Not saved: " + reply.getMessage() + ".");
      return;
    }
    session.flash(true, capitalised(reply.getMessage()) + ".");
    redirect(resp, "/config");
  }

  /** The form again, with the master's reason above it and the operator's values kept. */
  private void refused(HttpServletResponse resp, Session session, String form, Map<String, String> values,
      int status, String message) throws IOException {
    sendPage(resp, status, Layout.page("Configuration", session, CRUMBS, null,
        Layout.banner(message) + ConfigForms.render(session, form, values), false));
  }

  /** A number field: empty means "the default" (0); anything else non-numeric is the operator's typo. */
  private static int number(HttpServletRequest req, String name, String label) {
    String v = param(req, name);
    if (v.isEmpty()) return 0;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new NotANumber(label + " \u201c" + v + "\u201d is not a whole number");
    }
  }

  private static final class NotANumber extends RuntimeException {
    NotANumber(String message) {
      super(message, null, false, false);
    }
  }

  private static Map<String, String> values(HttpServletRequest req) {
    Map<String, String> out = new LinkedHashMap<>();
    req.getParameterMap().forEach((k, v) -> {
      if (!k.equals("password") && !k.equals("csrf") && v.length > 0) out.put(k, v[0]);
    });
    return out;
  }

  private static String param(HttpServletRequest req, String name) {
    String v = req.getParameter(name);
    return v == null ? "" : v.strip();
  }

  /** Passwords are sent as typed: leading or trailing spaces may be part of them. */
  private static String rawParam(HttpServletRequest req, String name) {
    String v = req.getParameter(name);
    return v == null ? "" : v;
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
